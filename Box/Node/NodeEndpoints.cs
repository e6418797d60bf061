namespace Dandelion.Box.Node;

internal static class NodeEndpoints
{
    /// <summary><c>GET /dandelion/{box_id}/</c> answers <c>HI {box_id}</c>, as the original does.</summary>
    public static IEndpointRouteBuilder MapBoxNode(this IEndpointRouteBuilder endpoints)
    {
        // Made now, not on the first request: the identity file is written at start.
        _ = endpoints.ServiceProvider.GetRequiredService<BoxNode>();
        endpoints.MapGet("/dandelion/{boxId}/", IResult (string boxId, BoxNode node) =>
            boxId == node.Id ? TypedResults.Text($"HI {node.Id}") : TypedResults.NotFound());
        return endpoints;
    }
}
