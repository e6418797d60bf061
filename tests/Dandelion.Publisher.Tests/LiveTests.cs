using System.Net;
using System.Net.Http.Json;
using Dandelion.Publisher.Live;
using Dandelion.Publisher.Telemetry;
using Dandelion.Publisher.Tests.Peers;

namespace Dandelion.Publisher.Tests;

public sealed class LiveTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
            await owned.DisposeAsync();
    }

    [Fact]
    public async Task Every_segment_in_the_served_playlist_followed_as_a_player_would_gives_the_bytes_ffmpeg_wrote()
    {
        var entrance = await Own(TestEntrance.StartAsync());
        var boxes = new[] { await Own(TestBox.StartAsync()), await Own(TestBox.StartAsync()) };
        entrance.Offer(boxes.Select((b, i) => b.Ranked(0.9 - i * 0.1)).ToArray());
        var publisher = await Own(PublisherHost.StartAsync([entrance.Url], new Dictionary<string, string?> { ["Publisher:LiveSegmentWait"] = "00:00:20" }));
        await Eventually.Until(() => boxes.All(b => b.Sessions > 0), "sessions to both boxes");

        await Ffmpeg.HlsAsync(publisher.LiveDirectory, seconds: 4, keepEverySegment: true);

        // The served version catches up with the last one ffmpeg wrote.
        var playlist = await Player.FinalPlaylistAsync(publisher.Viewer);
        Assert.Equal(Directory.GetFiles(publisher.LiveDirectory, "*.ts").Length, HlsPlaylist.Uris(playlist).Count);
        Assert.All(HlsPlaylist.Uris(playlist), uri => Assert.StartsWith("/media/live/", uri));
        // Each segment's SHA-256 is on the line above it, as ffmpeg wrote the segment.
        var lines = playlist.Split('\n');
        var tagged = 0;
        for (var i = 1; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("/media/", StringComparison.Ordinal))
                continue;
            Assert.StartsWith(SegmentHash.TagName, lines[i - 1]);
            var bytes = await File.ReadAllBytesAsync(Path.Combine(publisher.LiveDirectory, Path.GetFileName(lines[i])));
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), lines[i - 1][SegmentHash.TagName.Length..]);
            tagged++;
        }
        Assert.Equal(HlsPlaylist.Uris(playlist).Count, tagged);
        // Each version is served only once its segments are placed: every segment is a redirect to a box.
        var count = await Player.FollowEverySegmentThroughBoxesAsync(publisher.Viewer, playlist, "stream", publisher.LiveDirectory, boxes.Select(b => b.HttpUrl).ToList());
        Assert.True(count >= 3, $"expected several segments, got {count}");

        var stats = await publisher.Viewer.GetFromJsonAsync<Dictionary<string, StreamStats>>("api/stats");
        Assert.Equal(count, stats!["stream"].RedirectRequests);
        Assert.Equal(0, stats["stream"].OriginRequests);
    }

    [Fact]
    public async Task Without_boxes_the_playlist_is_still_served_and_the_origin_serves_every_segment()
    {
        var publisher = await Own(PublisherHost.StartAsync([], new Dictionary<string, string?> { ["Publisher:LiveSegmentWait"] = "00:00:01" }));
        var copies = new System.Collections.Concurrent.ConcurrentDictionary<string, byte[]>();
        // delete_segments: copy each finished segment aside before ffmpeg deletes it.
        using var stop = new CancellationTokenSource();
        var copying = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var file in Directory.GetFiles(publisher.LiveDirectory, "*.ts"))
                {
                    if (!copies.ContainsKey(Path.GetFileName(file)))
                    {
                        try { copies[Path.GetFileName(file)] = await File.ReadAllBytesAsync(file); } catch (IOException) { }
                    }
                }
                await Task.Delay(50);
            }
        });
        var ffmpeg = Ffmpeg.HlsAsync(publisher.LiveDirectory, seconds: 6, keepEverySegment: false);

        var served = 0;
        while (!ffmpeg.IsCompleted || served == 0)
        {
            using var response = await publisher.Viewer.GetAsync("live/stream.m3u8");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                foreach (var uri in HlsPlaylist.Uris(await response.Content.ReadAsStringAsync()))
                {
                    using var segment = await publisher.Viewer.GetAsync(uri.TrimStart('/'));
                    if (segment.StatusCode == HttpStatusCode.OK && copies.TryGetValue(Path.GetFileName(uri), out var expected))
                    {
                        Assert.Equal(expected, await segment.Content.ReadAsByteArrayAsync());
                        served++;
                    }
                    else
                    {
                        // Deleted by ffmpeg after this playlist version was written: never a box error, only gone.
                        Assert.Contains(segment.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.NotFound });
                    }
                }
            }
            await Task.Delay(200);
        }
        await ffmpeg;
        stop.Cancel();
        await copying;
        Assert.True(served > 0);
    }

    [Fact]
    public async Task A_master_playlist_keeps_its_variant_uris_and_each_variant_points_its_segments_at_media()
    {
        var publisher = await Own(PublisherHost.StartAsync([], new Dictionary<string, string?> { ["Publisher:LiveSegmentWait"] = "00:00:01" }));
        var variant = Directory.CreateDirectory(Path.Combine(publisher.LiveDirectory, "v0")).FullName;
        var segment = new byte[5000];
        new Random(3).NextBytes(segment);
        await File.WriteAllBytesAsync(Path.Combine(variant, "seg0.ts"), segment);
        await File.WriteAllTextAsync(Path.Combine(variant, "index.m3u8"), "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nseg0.ts\n#EXT-X-ENDLIST\n");
        await File.WriteAllTextAsync(Path.Combine(publisher.LiveDirectory, "master.m3u8"), "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000\nv0/index.m3u8\n");

        var master = await Eventually.Until(async () =>
        {
            using var response = await publisher.Viewer.GetAsync("live/master.m3u8");
            return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : null;
        }, "the master playlist");
        Assert.Equal(["v0/index.m3u8"], HlsPlaylist.Uris(master));

        var playlistUrl = new Uri(new Uri(publisher.Viewer.BaseAddress!, "live/master.m3u8"), "v0/index.m3u8");
        var media = await Eventually.Until(async () =>
        {
            using var response = await publisher.Viewer.GetAsync(playlistUrl);
            return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : null;
        }, "the variant playlist");
        Assert.Equal(["/media/live/v0/seg0.ts"], HlsPlaylist.Uris(media));
        Assert.Equal(segment, await publisher.Viewer.GetByteArrayAsync("media/live/v0/seg0.ts"));

        using var unknown = await publisher.Viewer.GetAsync("live/nothing.m3u8");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task While_a_playlist_lists_a_segment_a_dead_holder_is_replaced_and_an_expiring_copy_renewed()
    {
        var entrance = await Own(TestEntrance.StartAsync());
        var boxes = new[] { await Own(TestBox.StartAsync()), await Own(TestBox.StartAsync()) };
        entrance.Offer(boxes.Select(b => b.Ranked(0.5)).ToArray());
        var publisher = await Own(PublisherHost.StartAsync([entrance.Url], new Dictionary<string, string?>
        {
            ["Publisher:Replication"] = "1",
            ["Publisher:Boxes"] = "2",
            // TTL = max(3 s, 3 × 1 s window): copies must be renewed while the playlist stays.
            ["Publisher:DefaultTtl"] = "00:00:03",
        }));
        await Eventually.Until(() => boxes.All(b => b.Sessions > 0), "sessions to both boxes");
        var segment = new byte[20_000];
        new Random(5).NextBytes(segment);
        await File.WriteAllBytesAsync(Path.Combine(publisher.LiveDirectory, "seg0.ts"), segment);
        await File.WriteAllTextAsync(Path.Combine(publisher.LiveDirectory, "still.m3u8"), "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\nseg0.ts\n");

        var first = await Eventually.Until(() => Task.FromResult(publisher.Publisher.GetStatus("/live/seg0.ts") is { Holders: [{ } h] } ? h : null), "the segment on a box");
        Assert.Equal(3, publisher.Publisher.GetStatus("/live/seg0.ts")!.TtlSeconds);
        var holder = boxes.Single(b => b.Id == first.Box);
        // Renewed: before the copy expires a fresh one is sent (to either box).
        await Eventually.Until(() => boxes.Sum(b => b.Received.Count(h => h.FilePath == "/live/seg0.ts")) >= 2, "the copy to be renewed");

        await holder.KillAsync();
        var other = boxes.Single(b => b != holder);
        // The other box's copy lives 3 s and is renewed before it expires; on a loaded machine a
        // renewal may land late, and between copies a viewer is rightly served by the origin. So
        // the viewer asks until a copy is held: it must then be sent to the other box.
        var location = await Eventually.Until(async () =>
        {
            if (publisher.Publisher.GetStatus("/live/seg0.ts") is not { Holders: [{ } h] } || h.Box != other.Id)
                return null;
            using var media = await publisher.Viewer.GetAsync("media/live/seg0.ts");
            return media.StatusCode == HttpStatusCode.Redirect ? media.Headers.Location!.ToString() : null;
        }, "the segment on the other box, and a viewer redirected there");
        Assert.StartsWith(other.HttpUrl, location);
        Assert.Equal(segment, other.FileFor(publisher.Id, "/live/seg0.ts"));
    }

    private async Task<T> Own<T>(Task<T> starting) where T : IAsyncDisposable
    {
        var owned = await starting;
        _owned.Add(owned);
        return owned;
    }
}
