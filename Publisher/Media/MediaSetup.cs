using Dandelion.Publisher.Configuration;
using Dandelion.Shared.Hosting;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;

namespace Dandelion.Publisher.Media;

internal static class MediaSetup
{
    /// <summary>Viewer redirects, the origin, offload counters, and CORS for viewers' pages (<c>Publisher:AllowedOrigins</c>).</summary>
    public static WebApplicationBuilder AddMedia(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ViewerLocator>();
        builder.Services.AddSingleton<OffloadStats>();
        builder.Services.AddCors();
        builder.Services.AddOptions<CorsOptions>().Configure<IOptions<PublisherOptions>>((cors, publisher) =>
            cors.AddPolicy(ViewerOrigins.PolicyName, ViewerOrigins.Policy(publisher.Value.AllowedOrigins)));
        return builder;
    }
}
