using Dandelion.Publisher.Boxes;

namespace Dandelion.Publisher.Player;

/// <summary>
/// The live player page: <c>GET /</c> is <c>wwwroot/index.html</c> (hls.js in <c>wwwroot/vendor/</c>,
/// put there by scripts/setup.sh), playing <c>/live/{stream}.m3u8</c>.
/// </summary>
internal static class PlayerSetup
{
    /// <summary>The pages, copied beside the assembly by Dandelion.Publisher.csproj.</summary>
    public static WebApplication UsePlayer(this WebApplication app) => app.UseBundledPages("player");

    /// <summary>
    /// <c>GET /boxes</c>: the boxes the publisher knows from SEARCH, by the host viewers fetch
    /// from, with their owners' names, so the page names the box that served each segment.
    /// Public: these hosts are in every redirect anyway.
    /// </summary>
    public static IEndpointRouteBuilder MapPlayer(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/boxes", (BoxPool pool) => TypedResults.Ok(pool.Known.Values
            .Where(b => b.HttpUrl is not null && Uri.TryCreate(b.HttpUrl, UriKind.Absolute, out _))
            .Select(b => new PlayerBox(b.Id, NodeName.Clean(b.Name) ?? b.Id, new Uri(b.HttpUrl!).Authority))
            .ToList()));
        return endpoints;
    }
}
