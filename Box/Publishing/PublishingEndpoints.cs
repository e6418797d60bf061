using Dandelion.Box.Node;

namespace Dandelion.Box.Publishing;

internal static class PublishingEndpoints
{
    /// <summary>Sessions are made per connection (ActivatorUtilities) from singletons registered by other features: nothing to add.</summary>
    public static IServiceCollection AddPublishing(this IServiceCollection services) => services;

    /// <summary>The publisher WebSocket, <c>/dandelion/{box_id}/ws/</c>: accepted, then handed to a session.</summary>
    public static IEndpointRouteBuilder MapPublishing(this IEndpointRouteBuilder endpoints)
    {
        endpoints.Map("/dandelion/{boxId}/ws/", async (string boxId, HttpContext context, BoxNode node, IServiceProvider services) =>
        {
            if (boxId != node.Id)
                return Results.NotFound();
            if (!context.WebSockets.IsWebSocketRequest)
                return Results.BadRequest("WebSocket only.");
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var session = ActivatorUtilities.CreateInstance<PublisherSession>(services, socket);
            await session.RunAsync(context.RequestAborted);
            return Results.Empty;
        });
        return endpoints;
    }
}
