using System.Diagnostics.Metrics;
using Dandelion.Publisher.Configuration;
using Dandelion.Publisher.Placement;
using Dandelion.Publisher.Telemetry;
using Dandelion.Shared.Hosting;

namespace Dandelion.Publisher.Media;

internal static class MediaSetup
{
    /// <summary>Viewer redirects, the origin, offload counters, and CORS for viewers' pages (<c>Publisher:AllowedOrigins</c>).</summary>
    public static WebApplicationBuilder AddMedia(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ViewerLocator>();
        builder.Services.AddSingleton(sp => new OffloadStats(sp.GetRequiredService<IMeterFactory>(), sp.GetRequiredService<Placer>().StreamOf));
        builder.Services.AddViewerCors<PublisherOptions>(publisher => publisher.AllowedOrigins);
        return builder;
    }
}
