using Dandelion.Entrance.Configuration;
using Dandelion.Entrance.Geo;
using Dandelion.Entrance.Peers;
using Dandelion.Shared.Connections;
using Microsoft.Extensions.Options;

namespace Dandelion.Entrance.Sessions;

/// <summary><c>GET /dandelion/</c> and the WebSocket routes (docs/PROTOCOL.md, Routes).</summary>
internal static class SessionEndpoints
{
    public static IServiceCollection AddSessions(this IServiceCollection services)
    {
        services.AddSingleton<SessionServices>();
        services.AddSingleton<SessionDirectory>();
        services.AddSingleton(sp => Limits(sp.GetRequiredService<IOptions<EntranceOptions>>().Value));
        services.AddSingleton<PeerListener>();
        services.AddSingleton(sp => new TrustedProxies(sp.GetRequiredService<IOptions<EntranceOptions>>().Value.GeoIp.TrustedProxies));
        return services;
    }

    /// <summary>
    /// WebSockets with keep-alive pings that must be answered: a box whose network vanishes
    /// without a FIN would otherwise hold its socket open indefinitely. Each socket already
    /// has its keep-alive timer, so this costs no timer per box.
    /// </summary>
    public static IApplicationBuilder UseEntranceWebSockets(this IApplicationBuilder app) =>
        app.UseWebSockets(new WebSocketOptions
        {
            KeepAliveInterval = TimeSpan.FromSeconds(30),
            KeepAliveTimeout = TimeSpan.FromSeconds(30),
        });

    public static IEndpointRouteBuilder MapSessions(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/dandelion");
        // Routing matches with and without the trailing slash.
        group.MapGet("/", (EntranceIdentity identity) => TypedResults.Text($"HI {identity.Id}"));
        group.Map("/ws", AcceptAsync);
        group.Map("/ws_change", AcceptAsync);
        return endpoints;
    }

    /// <summary>docs/CONNECTIONS.md; the entrance answers with CODE before it knows a peer's version.</summary>
    private static ConnectionLimits Limits(EntranceOptions options) => new()
    {
        MaxMessageBytes = options.MaxMessageBytes,
        FirstMessageTimeout = options.FirstMessageTimeout,
        IdleTimeout = options.IdleTimeout,
        MaxConnectionsPerAddress = options.MaxConnectionsPerAddress,
        CodeToVersion1 = true,
    };

    private static Task<IResult> AcceptAsync(HttpContext context, EntranceIdentity identity, IOptions<EntranceOptions> options,
        PeerListener listener, TrustedProxies proxies, SessionServices services)
    {
        var client = ClientAddress.Resolve(context.Connection.RemoteIpAddress, context.Request.Headers["X-Forwarded-For"], proxies.Addresses);
        var self = EntranceSelf.For(identity.Id, options.Value.PublicUrl, options.Value.Peers, context.Request.Host.Value ?? "localhost", context.Request.IsHttps);
        var viaProxy = context.Connection.RemoteIpAddress is { } remote && !client.Equals(ClientAddress.Normalize(remote));
        return listener.AcceptAsync(context, client, self.Stamp, () => new EntranceRouter(client, self, services, viaProxy), services.Metrics.Connections);
    }
}
