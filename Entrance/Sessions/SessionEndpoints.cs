using Dandelion.Entrance.Configuration;
using Dandelion.Entrance.Geo;
using Dandelion.Entrance.Telemetry;
using Dandelion.Shared.Protocol;
using Microsoft.Extensions.Options;

namespace Dandelion.Entrance.Sessions;

/// <summary><c>GET /dandelion/</c> and the WebSocket routes (docs/PROTOCOL.md, Routes).</summary>
internal static class SessionEndpoints
{
    public static IServiceCollection AddSessions(this IServiceCollection services)
    {
        services.AddSingleton<SessionServices>();
        services.AddSingleton<SessionDirectory>();
        services.AddSingleton(sp => new ConnectionLimiter(sp.GetRequiredService<IOptions<EntranceOptions>>().Value.MaxConnectionsPerAddress));
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

    private static async Task<IResult> AcceptAsync(HttpContext context, EntranceIdentity identity, IOptions<EntranceOptions> options,
        ConnectionLimiter limiter, TrustedProxies proxies, SessionServices services, EntranceMetrics metrics,
        IHostApplicationLifetime lifetime)
    {
        if (!context.WebSockets.IsWebSocketRequest)
            return TypedResults.BadRequest("This is a WebSocket endpoint.");

        var client = ClientAddress.Resolve(context.Connection.RemoteIpAddress, context.Request.Headers["X-Forwarded-For"], proxies.Addresses);
        var self = EntranceSelf.For(identity.Id, options.Value.PublicUrl, options.Value.Peers, context.Request.Host.Value ?? "localhost");
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        if (!limiter.TryAcquire(client))
        {
            metrics.Refused(ProtocolErrorCodes.RateLimited);
            await EntranceSession.RefuseAtOnceAsync(socket, self, ProtocolError.RateLimited(), services, context.RequestAborted);
            return TypedResults.Empty;
        }

        metrics.ConnectionOpened();
        try
        {
            var viaProxy = context.Connection.RemoteIpAddress is { } remote && !client.Equals(ClientAddress.Normalize(remote));
            await new EntranceSession(socket, client, self, services, viaProxy).RunAsync(context.RequestAborted, lifetime.ApplicationStopping);
        }
        finally
        {
            metrics.ConnectionClosed();
            limiter.Release(client);
        }
        return TypedResults.Empty;
    }
}
