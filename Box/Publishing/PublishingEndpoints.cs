using System.Net;
using Dandelion.Box.Diagnostics;
using Dandelion.Box.Node;
using Dandelion.Shared.Connections;
using Microsoft.Extensions.Options;

namespace Dandelion.Box.Publishing;

internal static class PublishingEndpoints
{
    /// <summary>The publisher listener, with the limits of docs/CONNECTIONS.md from <c>Box:</c> options, and the frame receiver.</summary>
    public static IServiceCollection AddPublishing(this IServiceCollection services)
    {
        services.AddSingleton<FrameReceiver>();
        services.AddSingleton(sp => Limits(sp.GetRequiredService<IOptions<BoxOptions>>().Value));
        services.AddSingleton<PeerListener>();
        return services;
    }

    private static ConnectionLimits Limits(BoxOptions options) => new()
    {
        MaxMessageBytes = options.MaxTextMessageBytes,
        FirstMessageTimeout = options.FirstMessageTimeout,
        IdleTimeout = options.IdleTimeout,
        MaxConnectionsPerAddress = options.MaxConnectionsPerAddress,
    };

    /// <summary>The publisher WebSocket, <c>/dandelion/{box_id}/ws/</c>: accepted, then run as a <see cref="PublishChannel"/>.</summary>
    public static IEndpointRouteBuilder MapPublishing(this IEndpointRouteBuilder endpoints)
    {
        endpoints.Map("/dandelion/{boxId}/ws/", async (string boxId, HttpContext context, BoxNode node, PeerListener listener, BoxMetrics metrics,
            IServiceProvider services, IHostApplicationLifetime lifetime) =>
        {
            if (boxId != node.Id)
                return Results.NotFound();
            if (!context.WebSockets.IsWebSocketRequest)
                return Results.BadRequest("WebSocket only.");
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            metrics.PublisherSession(1);
            try
            {
                await listener.RunAsync(socket, context.Connection.RemoteIpAddress ?? IPAddress.None, node.Stamp,
                    _ => ActivatorUtilities.CreateInstance<PublishChannel>(services), context.RequestAborted, lifetime.ApplicationStopping);
            }
            finally
            {
                metrics.PublisherSession(-1);
            }
            return Results.Empty;
        });
        return endpoints;
    }
}
