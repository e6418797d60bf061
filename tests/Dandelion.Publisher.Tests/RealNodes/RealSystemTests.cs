using System.Net;
using System.Net.Http.Json;
using Dandelion.Publisher.Live;
using Dandelion.Publisher.Placement;
using Dandelion.Publisher.Telemetry;

namespace Dandelion.Publisher.Tests.RealNodes;

/// <summary>The publisher with a real entrance, a real Redis and real boxes, each in its own process.</summary>
public sealed class RealSystemTests : IAsyncLifetime
{
    private Cluster _cluster = null!;
    private PublisherHost _publisher = null!;

    public async Task InitializeAsync()
    {
        _cluster = await Cluster.StartAsync(boxes: 3);
        _publisher = await _cluster.StartPublisherAsync(new Dictionary<string, string?> { ["Publisher:LiveSegmentWait"] = "00:00:20" });
    }

    public async Task DisposeAsync()
    {
        await _publisher.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task A_file_is_placed_on_two_real_boxes_byte_identical_and_the_redirect_serves_it()
    {
        var path = _publisher.WriteFile("real/one.bin", 2_000_000);
        var bytes = await File.ReadAllBytesAsync(path);
        using (var post = await _publisher.Viewer.PostAsJsonAsync("api/files", new { path, ttl = 120 }))
            Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);

        var status = await Eventually.Until(async () => await _publisher.StatusAsync("/pub/real/one.bin") is { Holders.Count: 2 } s ? s : null, "two holders");
        Assert.All(status.Holders, h => Assert.True(h.Confirmed));
        using var plain = new HttpClient();
        foreach (var holder in status.Holders)
        {
            Assert.Contains(_cluster.Boxes, b => b.Id == holder.Box && holder.Url!.StartsWith(b.HttpUrl, StringComparison.Ordinal));
            Assert.Equal(bytes, await plain.GetByteArrayAsync(holder.Url));
        }

        using var media = await _publisher.Viewer.GetAsync("media/pub/real/one.bin");
        Assert.Equal(HttpStatusCode.Redirect, media.StatusCode);
        Assert.Equal(bytes, await plain.GetByteArrayAsync(media.Headers.Location));
    }

    [Fact]
    public async Task A_box_killed_while_it_holds_or_receives_a_file_makes_the_publisher_place_it_elsewhere()
    {
        var path = _publisher.WriteFile("real/big.bin", 48_000_000);
        var bytes = await File.ReadAllBytesAsync(path);
        await _publisher.Publisher.PublishAsync(path, TimeSpan.FromSeconds(300), default);

        // Kill the first box the file goes to, as early as the state shows it (often mid-transfer).
        var victimId = await Eventually.Until(() =>
        {
            var status = _publisher.Publisher.GetStatus("/pub/real/big.bin")!;
            return Task.FromResult(status.SendingTo.Concat(status.Holders.Select(h => h.Box)).FirstOrDefault());
        }, "the file to be on its way to a box");
        var victim = _cluster.Boxes.Single(b => b.Id == victimId);
        await victim.Process.KillAsync();

        var placed = await Eventually.Until(() =>
        {
            var status = _publisher.Publisher.GetStatus("/pub/real/big.bin")!;
            return Task.FromResult(status.Holders.Count == 2 && status.Holders.All(h => h.Box != victimId) ? status : null);
        }, "two holders other than the killed box");

        using var plain = new HttpClient();
        // Fetched by the URLs the API gives out: signed, as a viewer's (in-process state keeps them plain).
        var listed = (await _publisher.StatusAsync("/pub/real/big.bin"))!;
        Assert.Equal(placed.Holders.Select(h => h.Box).Order(), listed.Holders.Select(h => h.Box).Order());
        foreach (var holder in listed.Holders)
            Assert.Equal(bytes, await plain.GetByteArrayAsync(holder.Url));
        using var media = await _publisher.Viewer.GetAsync("media/pub/real/big.bin");
        Assert.Equal(HttpStatusCode.Redirect, media.StatusCode);
        Assert.DoesNotContain(victim.HttpUrl, media.Headers.Location!.ToString());
    }

    [Fact]
    public async Task With_every_real_box_gone_media_is_served_from_the_origin()
    {
        var path = _publisher.WriteFile("real/gone.bin", 100_000);
        await _publisher.Publisher.PublishAsync(path, TimeSpan.FromSeconds(120), default);
        Assert.Equal(FileState.Placed, (await _publisher.Publisher.WaitAsync("/pub/real/gone.bin", default)).State);

        foreach (var box in _cluster.Boxes)
            await box.Process.KillAsync();
        await Eventually.Until(async () =>
        {
            using var response = await _publisher.Viewer.GetAsync("media/pub/real/gone.bin");
            return response.StatusCode == HttpStatusCode.OK;
        }, "the origin to serve the file");
        Assert.Equal(await File.ReadAllBytesAsync(path), await _publisher.Viewer.GetByteArrayAsync("media/pub/real/gone.bin"));

        using var hostile = await _publisher.Viewer.GetAsync("media/pub/..%2F..%2F..%2Fetc%2Fpasswd");
        Assert.Equal(HttpStatusCode.NotFound, hostile.StatusCode);
    }

    [Fact]
    public async Task Live_segments_from_ffmpeg_reach_real_boxes_and_every_playlist_uri_gives_the_bytes_ffmpeg_wrote()
    {
        await Ffmpeg.HlsAsync(_publisher.LiveDirectory, seconds: 4, keepEverySegment: true);
        var playlist = await Player.FinalPlaylistAsync(_publisher.Viewer);
        var count = await Player.FollowEverySegmentThroughBoxesAsync(_publisher.Viewer, playlist, "stream", _publisher.LiveDirectory,
            _cluster.Boxes.Select(b => b.HttpUrl).ToList());
        Assert.True(count >= 3, $"expected several segments, got {count}");
        var stats = await _publisher.Viewer.GetFromJsonAsync<Dictionary<string, StreamStats>>("api/stats");
        Assert.Equal(count, stats!["stream"].RedirectRequests);
    }
}
