using Dandelion.Box.Node;
using Dandelion.Shared.Hosting;
using Microsoft.Extensions.Options;

namespace Dandelion.Box.Serving;

internal static class ServingExtensions
{
    public static IServiceCollection AddServing(this IServiceCollection services)
    {
        services.AddViewerCors<BoxOptions>(box => box.AllowedOrigins);
        services.AddSingleton<FileServer>();
        services.AddSingleton<Signing.ViewerKeys>();
        services.AddHostedSingleton<AccessLogWriter>();
        return services;
    }

    /// <summary>
    /// Everything that arrives on <see cref="BoxOptions.HttpPort"/> is a file request; the
    /// control endpoints (WebSocket, HI, health) answer on <see cref="BoxOptions.Port"/> only.
    /// Split by the connection's local port, which holds even when a proxy rewrites Host.
    /// </summary>
    public static IApplicationBuilder UseFileServing(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<BoxOptions>>().Value;
        var server = app.ApplicationServices.GetRequiredService<FileServer>();
        // CORS (Box:AllowedOrigins) on every file answer; a preflight is answered here, before the file server.
        return app.MapWhen(context => context.Connection.LocalPort == options.HttpPort,
            files => files.UseCors(ViewerOrigins.PolicyName).Run(server.HandleAsync));
    }
}
