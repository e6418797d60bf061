using System.Net;
using Dandelion.Publisher.Live;

namespace Dandelion.Publisher.Tests;

/// <summary>Plays a live stream from the publisher as an HLS player would: the playlist, then each segment, following redirects.</summary>
internal static class Player
{
    /// <summary>The served playlist once it is the final version (it has <c>#EXT-X-ENDLIST</c>).</summary>
    public static Task<string> FinalPlaylistAsync(HttpClient viewer, string stream = "stream") =>
        Eventually.Until(async () =>
        {
            using var response = await viewer.GetAsync($"live/{stream}.m3u8");
            var text = response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : "";
            return text.Contains("#EXT-X-ENDLIST") ? text : null;
        }, "the final playlist to be served");

    /// <summary>
    /// Fetches every segment the playlist lists: each must be a redirect to a box (one of
    /// <paramref name="boxBaseUrls"/>) that serves exactly the bytes ffmpeg wrote.
    /// </summary>
    public static async Task<int> FollowEverySegmentThroughBoxesAsync(HttpClient viewer, string playlist, string stream,
        string liveDirectory, IReadOnlyCollection<string> boxBaseUrls)
    {
        var uris = HlsPlaylist.Uris(playlist);
        using var player = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var playlistUrl = new Uri(viewer.BaseAddress!, $"live/{stream}.m3u8");
        foreach (var uri in uris)
        {
            Assert.StartsWith("/media/", uri);
            using var first = await player.GetAsync(new Uri(playlistUrl, uri));
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
            var location = first.Headers.Location!.ToString();
            Assert.Contains(boxBaseUrls, b => location.StartsWith(b, StringComparison.Ordinal));
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(liveDirectory, Path.GetFileName(uri))), await player.GetByteArrayAsync(location));
        }
        return uris.Count;
    }
}
