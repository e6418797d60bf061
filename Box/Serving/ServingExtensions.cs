using Dandelion.Box.Node;
using Microsoft.Extensions.Options;

namespace Dandelion.Box.Serving;

internal static class ServingExtensions
{
    public static IServiceCollection AddServing(this IServiceCollection services)
    {
        services.AddSingleton<FileServer>();
        services.AddSingleton<AccessLogWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<AccessLogWriter>());
        return services;
    }

    /// <summary>
    /// Everything that arrives on <see cref="BoxOptions.HttpPort"/> is a file request; the
    /// control endpoints (WebSocket, HI, health) answer on <see cref="BoxOptions.Port"/> only.
    /// Split by the connection's local port, which holds even when a proxy rewrites Host.
    /// </summary>
    public static IApplicationBuilder UseFileServing(this IApplicationBuilder app)
    {
        var port = app.ApplicationServices.GetRequiredService<IOptions<BoxOptions>>().Value.HttpPort;
        var server = app.ApplicationServices.GetRequiredService<FileServer>();
        return app.MapWhen(context => context.Connection.LocalPort == port, files => files.Run(server.HandleAsync));
    }
}
