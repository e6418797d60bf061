using Dandelion.Publisher.Live;

namespace Dandelion.Publisher.Tests;

public sealed class HlsPlaylistTests
{
    private const string Media = """
        #EXTM3U
        #EXT-X-VERSION:7
        #EXT-X-TARGETDURATION:2
        #EXT-X-MEDIA-SEQUENCE:3
        #EXT-X-MAP:URI="init.mp4"
        #EXTINF:2.000000,
        stream3.ts
        #EXTINF:1.500000,
        stream4.ts
        #EXT-X-KEY:METHOD=AES-128,URI="https://keys.example/k"
        #EXTINF:2,
        sub/stream5.ts

        """;

    [Fact]
    public void Every_uri_is_found_on_its_own_line_and_in_URI_attributes()
    {
        Assert.Equal(["init.mp4", "stream3.ts", "stream4.ts", "https://keys.example/k", "sub/stream5.ts"], HlsPlaylist.Uris(Media));
    }

    [Fact]
    public void Tagging_puts_a_line_above_each_uri_line_and_none_in_attributes()
    {
        var tagged = HlsPlaylist.TagUriLines(Media, uri => uri == "stream4.ts" ? null : "#EXT-X-DANDELION-SHA256:" + uri);
        var expected = Media
            .Replace("\nstream3.ts", "\n#EXT-X-DANDELION-SHA256:stream3.ts\nstream3.ts")
            .Replace("\nsub/stream5.ts", "\n#EXT-X-DANDELION-SHA256:sub/stream5.ts\nsub/stream5.ts");
        Assert.Equal(expected, tagged);
        Assert.Equal(HlsPlaylist.Uris(Media), HlsPlaylist.Uris(tagged));
        Assert.Equal(HlsPlaylist.Window(Media), HlsPlaylist.Window(tagged));
    }

    [Fact]
    public void Rewriting_replaces_mapped_uris_and_keeps_every_other_line()
    {
        var rewritten = HlsPlaylist.Rewrite(Media, uri => uri.EndsWith(".ts") || uri.EndsWith(".mp4") ? "/media/live/" + uri : null);
        var expected = Media
            .Replace("URI=\"init.mp4\"", "URI=\"/media/live/init.mp4\"")
            .Replace("\nstream3.ts", "\n/media/live/stream3.ts")
            .Replace("\nstream4.ts", "\n/media/live/stream4.ts")
            .Replace("\nsub/stream5.ts", "\n/media/live/sub/stream5.ts");
        Assert.Equal(expected, rewritten);
    }

    [Fact]
    public void The_window_is_the_sum_of_EXTINF_durations() =>
        Assert.Equal(TimeSpan.FromSeconds(5.5), HlsPlaylist.Window(Media));

    [Theory]
    [InlineData("seg1.ts", true, false)]
    [InlineData("v0/index.m3u8", true, true)]
    [InlineData("https://cdn.example/seg1.ts", false, false)]   // absolute: not ours to place
    [InlineData("/abs/seg1.ts", false, false)]                  // rooted on the server: not a file beside the playlist
    [InlineData("", false, false)]                              // nothing
    public void Local_and_playlist_uris_are_told_apart(string uri, bool local, bool playlist)
    {
        Assert.Equal(local, HlsPlaylist.IsLocal(uri));
        Assert.Equal(playlist, HlsPlaylist.IsPlaylist(uri));
    }

    [Fact]
    public void Only_text_starting_with_EXTM3U_is_a_playlist()
    {
        Assert.True(HlsPlaylist.LooksLikePlaylist(Media));
        Assert.False(HlsPlaylist.LooksLikePlaylist("#EXTINF:2,\nseg.ts\n"));   // half-written or not a playlist
    }
}
