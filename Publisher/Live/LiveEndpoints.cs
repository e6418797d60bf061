using Microsoft.AspNetCore.Http.HttpResults;

namespace Dandelion.Publisher.Live;

/// <summary><c>GET /live/{stream}.m3u8</c>: the latest playlist version whose segments are placed, segment URIs pointing at <c>/media/</c>.</summary>
internal static class LiveEndpoints
{
    public const string PlaylistType = "application/vnd.apple.mpegurl";

    public static IEndpointRouteBuilder MapLive(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/live/{**path}", [HttpMethods.Get, HttpMethods.Head], Serve).RequireCors(ViewerOrigins.PolicyName);
        return endpoints;
    }

    private static Results<ContentHttpResult, NotFound> Serve(string path, HttpContext context, LivePlaylists playlists)
    {
        if (!path.EndsWith(".m3u8", StringComparison.Ordinal) || playlists.Get(path[..^".m3u8".Length]) is not { } playlist)
            return TypedResults.NotFound();
        // Players poll live playlists: never cache one.
        context.Response.Headers.CacheControl = "no-cache, no-store";
        return TypedResults.Text(playlist.Text, PlaylistType);
    }
}
