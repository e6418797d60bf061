using Dandelion.Publisher.Boxes;
using Dandelion.Publisher.Entrances;

namespace Dandelion.Publisher.Placement;

internal static class PlacementSetup
{
    /// <summary>Entrances, box sessions, and the placement of files on them.</summary>
    public static WebApplicationBuilder AddPlacement(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PublishRoots>();
        builder.Services.AddSingleton<EntranceClient>();
        builder.Services.AddSingleton<BoxCertificates>();
        builder.Services.AddSingleton<BoxConnector>();
        builder.Services.AddSingleton<BoxPool>();
        builder.Services.AddSingleton<BoxKeeper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<BoxKeeper>());
        builder.Services.AddHostedService<BoxChecker>();
        builder.Services.AddSingleton<PlacementMetrics>();
        builder.Services.AddSingleton<Placer>();
        builder.Services.AddSingleton<IFilePublisher>(sp => sp.GetRequiredService<Placer>());
        builder.Services.AddHostedService<PlacementLoop>();
        return builder;
    }
}
