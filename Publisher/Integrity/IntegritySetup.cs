using Dandelion.Publisher.Boxes;

namespace Dandelion.Publisher.Integrity;

internal static class IntegritySetup
{
    /// <summary>Viewers' reports of boxes that sent altered segments, their checks, and the boxes distrusted.</summary>
    public static WebApplicationBuilder AddIntegrity(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DistrustedBoxes>();
        builder.Services.AddSingleton<ReportGate>();
        builder.Services.AddSingleton<CopyChecker>();
        return builder;
    }
}
