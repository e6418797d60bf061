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
        endpoints.Map("/dandelion/{boxId}/ws/", (string boxId, HttpContext context, BoxNode node, PeerListener listener, BoxMetrics metrics,
            IServiceProvider services) => boxId != node.Id
            ? Task.FromResult<IResult>(TypedResults.NotFound())
            : listener.AcceptAsync(context, context.Connection.RemoteIpAddress ?? IPAddress.None, node.Stamp,
                () => ActivatorUtilities.CreateInstance<PublishChannel>(services), metrics.PublisherSession));
        return endpoints;
    }
}
