using System.Net;
using System.Net.Http.Json;
using Dandelion.Publisher.Boxes;
using Dandelion.Publisher.Placement;
using Dandelion.Publisher.Tests.Peers;
using Microsoft.Extensions.DependencyInjection;

namespace Dandelion.Publisher.Tests;

/// <summary>The publisher against boxes and an entrance written in the test, over real sockets.</summary>
public sealed class PlacementTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];
    private TestEntrance _entrance = null!;

    public async Task InitializeAsync() => _entrance = await Own(TestEntrance.StartAsync());

    public async Task DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
            await owned.DisposeAsync();
    }

    [Fact]
    public async Task A_file_is_placed_on_R_boxes_byte_identical_and_viewers_are_redirected_to_one()
    {
        var boxes = new[] { await Own(TestBox.StartAsync()), await Own(TestBox.StartAsync()), await Own(TestBox.StartAsync()) };
        _entrance.Offer(boxes.Select((b, i) => b.Ranked(0.9 - i * 0.1)).ToArray());
        var publisher = await Own(PublisherHost.StartAsync([_entrance.Url]));
        var path = publisher.WriteFile("clips/one.bin", 300_000);
        var bytes = await File.ReadAllBytesAsync(path);

        using var post = await publisher.Viewer.PostAsJsonAsync("api/files", new { path, ttl = 60 });
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var status = await Eventually.Until(async () => await publisher.StatusAsync("/pub/clips/one.bin") is { Holders.Count: 2 } s ? s : null, "two holders");

        Assert.Equal(FileState.Placed, status.State);
        Assert.All(status.Holders, h => Assert.True(h.Confirmed));
        var holders = boxes.Where(b => b.FileFor(publisher.Id, "/pub/clips/one.bin") is not null).ToList();
        Assert.Equal(2, holders.Count);
        Assert.All(holders, b => Assert.Equal(bytes, b.FileFor(publisher.Id, "/pub/clips/one.bin")));
        Assert.Equal(holders.Select(b => b.Id).Order(), status.Holders.Select(h => h.Box).Order());

        // The redirect leads to a box that really serves the bytes.
        using var media = await publisher.Viewer.GetAsync("media/pub/clips/one.bin");
        Assert.Equal(HttpStatusCode.Redirect, media.StatusCode);
        Assert.Contains(media.Headers.Location!.ToString(), status.Holders.Select(h => h.Url));
        Assert.Contains("rel=\"alternate\"", string.Join(",", media.Headers.GetValues("Link")));
        using var direct = new HttpClient();
        Assert.Equal(bytes, await direct.GetByteArrayAsync(media.Headers.Location));
    }

    [Fact]
    public async Task Files_are_spread_across_boxes_not_always_the_same_ones()
    {
        var boxes = new[] { await Own(TestBox.StartAsync()), await Own(TestBox.StartAsync()), await Own(TestBox.StartAsync()), await Own(TestBox.StartAsync()) };
        _entrance.Offer(boxes.Select((b, i) => b.Ranked(0.9 - i * 0.01)).ToArray());
        var publisher = await Own(PublisherHost.StartAsync([_entrance.Url]));
        await Eventually.Until(() => boxes.All(b => b.Sessions > 0), "sessions to every box");

        for (var i = 0; i < 24; i++)
            await publisher.Publisher.PublishAsync(publisher.WriteFile($"spread/{i}.bin", 20_000, seed: i), TimeSpan.FromSeconds(60), default);
        for (var i = 0; i < 24; i++)
            await Eventually.Until(async () => (await publisher.Publisher.WaitAsync($"/pub/spread/{i}.bin", default)).Holders.Count == 2, $"file {i} on two boxes");

        Assert.All(boxes, b => Assert.NotEmpty(b.Files));
        Assert.Equal(48, boxes.Sum(b => b.Files.Count));
    }

    [Fact]
    public async Task A_refusing_box_and_a_box_killed_mid_transfer_make_the_file_go_elsewhere()
    {
        var refusing = await Own(TestBox.StartAsync(mode: TestBoxMode.Refuse));
        var dying = await Own(TestBox.StartAsync(mode: TestBoxMode.DieMidTransfer));
        var good = await Own(TestBox.StartAsync());
        _entrance.Offer(refusing.Ranked(0.99), dying.Ranked(0.98), good.Ranked(0.1));
        var publisher = await Own(PublishHostWith(replication: 1, boxes: 3));
        await Eventually.Until(() => refusing.Sessions > 0 && dying.Sessions > 0 && good.Sessions > 0, "sessions to every box");

        for (var i = 0; i < 6; i++)
            await publisher.Publisher.PublishAsync(publisher.WriteFile($"retry/{i}.bin", 200_000, seed: i), TimeSpan.FromSeconds(60), default);

        for (var i = 0; i < 6; i++)
        {
            var status = await publisher.Publisher.WaitAsync($"/pub/retry/{i}.bin", default);
            Assert.Equal(FileState.Placed, status.State);
            Assert.Equal([good.Id], status.Holders.Select(h => h.Box));
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(publisher.PublishDirectory, "retry", $"{i}.bin")), good.FileFor(publisher.Id, $"/pub/retry/{i}.bin"));
        }
        Assert.Empty(refusing.Files);
        Assert.Empty(dying.Files);
        var attempts = Enumerable.Range(0, 6).SelectMany(i => publisher.Publisher.GetStatus($"/pub/retry/{i}.bin")!.Attempts).ToList();
        Assert.Contains(attempts, a => a.Box == refusing.Id && a.Outcome == "refused" && a.Reason!.Contains("quota-exceeded"));
        Assert.Contains(attempts, a => a.Box == dying.Id && a.Outcome == "dropped");

        Task<PublisherHost> PublishHostWith(int replication, int boxes) => PublisherHost.StartAsync([_entrance.Url], new Dictionary<string, string?>
        {
            ["Publisher:Replication"] = replication.ToString(),
            ["Publisher:Boxes"] = boxes.ToString(),
        });
    }

    [Fact]
    public async Task A_box_that_never_answers_times_out_and_the_file_goes_elsewhere()
    {
        var silent = await Own(TestBox.StartAsync(mode: TestBoxMode.Silent));
        var good = await Own(TestBox.StartAsync());
        _entrance.Offer(silent.Ranked(0.99), good.Ranked(0.5));
        var publisher = await Own(PublisherHost.StartAsync([_entrance.Url], new Dictionary<string, string?>
        {
            ["Publisher:Replication"] = "1",
            ["Publisher:SendTimeout"] = "00:00:02",
        }));
        await Eventually.Until(() => silent.Sessions > 0 && good.Sessions > 0, "sessions to both boxes");

        // Until the silent box has been tried, keep publishing: which box a file goes to first is chosen at random.
        var n = 0;
        await Eventually.Until(async () =>
        {
            await publisher.Publisher.PublishAsync(publisher.WriteFile($"slow/{n}.bin", 10_000, seed: n), TimeSpan.FromSeconds(60), default);
            n++;
            return !silent.Received.IsEmpty;
        }, "a file sent to the silent box");

        for (var i = 0; i < n; i++)
        {
            var status = await publisher.Publisher.WaitAsync($"/pub/slow/{i}.bin", default);
            Assert.Equal([good.Id], status.Holders.Select(h => h.Box));
        }
        var attempts = Enumerable.Range(0, n).SelectMany(i => publisher.Publisher.GetStatus($"/pub/slow/{i}.bin")!.Attempts).ToList();
        Assert.Contains(attempts, a => a.Box == silent.Id && a.Outcome is "timeout" or "dropped");
    }

    [Fact]
    public async Task A_version_1_box_gets_the_file_without_SIZE_or_SHA256_and_the_copy_is_unconfirmed()
    {
        var original = await Own(TestBox.StartAsync(version: 1));
        _entrance.Offer(original.Ranked(0.5));
        var publisher = await Own(PublisherHost.StartAsync([_entrance.Url], new Dictionary<string, string?> { ["Publisher:Replication"] = "1" }));
        var path = publisher.WriteFile("v1/a.bin", 50_000);

        await Eventually.Until(() => original.Sessions > 0, "a session to the version 1 box");
        await publisher.Publisher.PublishAsync(path, TimeSpan.FromSeconds(30), default);
        var status = await publisher.Publisher.WaitAsync("/pub/v1/a.bin", default);

        Assert.Equal(FileState.Placed, status.State);
        var holder = Assert.Single(status.Holders);
        Assert.False(holder.Confirmed);
        // Sent whole is all a version 1 box lets us know; it may still be reading.
        await Eventually.Until(() => original.FileFor(publisher.Id, "/pub/v1/a.bin") is not null, "the box to store the file");
        Assert.Equal(await File.ReadAllBytesAsync(path), original.FileFor(publisher.Id, "/pub/v1/a.bin"));
        var header = Assert.Single(original.Received);
        Assert.Null(header.Size);
        Assert.Null(header.Sha256);
        Assert.Equal("30", header.Ttl);
    }

    [Fact]
    public async Task Copies_on_boxes_viewers_cannot_be_sent_to_do_not_count_toward_replication()
    {
        // Two original boxes (no file URL) ranked above two of ours.
        var originals = new[] { await Own(TestBox.StartAsync(version: 1)), await Own(TestBox.StartAsync(version: 1)) };
        var ours = new[] { await Own(TestBox.StartAsync()), await Own(TestBox.StartAsync()) };
        _entrance.Offer([originals[0].Ranked(0.9), originals[1].Ranked(0.8), ours[0].Ranked(0.5), ours[1].Ranked(0.4)]);
        var publisher = await Own(PublisherHost.StartAsync([_entrance.Url], new Dictionary<string, string?> { ["Publisher:Replication"] = "2" }));
        // Open on the publisher's side (the handshake done), not just accepted by the boxes: with one of ours
        // not yet open, an original rightly takes the shortfall, and the file ends with three holders.
        var pool = publisher.Services.GetRequiredService<BoxPool>();
        await Eventually.Until(() => originals.Concat(ours).All(b => pool.IsOpen(b.Id)), "sessions to all four boxes open");

        for (var i = 0; i < 4; i++)
        {
            var path = publisher.WriteFile($"mixed/{i}.bin", 10_000);
            await publisher.Publisher.PublishAsync(path, TimeSpan.FromSeconds(60), default);
            var status = await Eventually.Until(async () => await publisher.StatusAsync($"/pub/mixed/{i}.bin") is { Holders.Count: 2 } s ? s : null, "two holders");
            // R copies viewers can be sent to: both on our boxes, each with its URL.
            Assert.Equal(ours.Select(b => b.Id).Order(), status.Holders.Select(h => h.Box).Order());
            Assert.All(status.Holders, h => Assert.NotNull(h.Url));
        }
        Assert.All(originals, b => Assert.Empty(b.Received));
    }

    [Fact]
    public async Task A_file_with_no_box_waits_visibly_and_is_placed_when_a_box_appears()
    {
        var publisher = await Own(PublisherHost.StartAsync([_entrance.Url], new Dictionary<string, string?> { ["Publisher:Replication"] = "1" }));
        await publisher.Publisher.PublishAsync(publisher.WriteFile("wait/a.bin", 1000), TimeSpan.FromSeconds(120), default);
        await Eventually.Until(() => _entrance.Searches >= 2, "the publisher to search again");

        var waiting = await publisher.StatusAsync("/pub/wait/a.bin");
        Assert.Equal(FileState.Queued, waiting!.State);
        Assert.NotNull(waiting.Error);

        var box = await Own(TestBox.StartAsync());
        _entrance.Offer(box.Ranked(0.5));
        var placed = await publisher.Publisher.WaitAsync("/pub/wait/a.bin", default);
        Assert.Equal(FileState.Placed, placed.State);
        Assert.NotNull(box.FileFor(publisher.Id, "/pub/wait/a.bin"));
    }

    [Fact]
    public async Task A_box_that_vanishes_from_SEARCH_is_let_go_and_its_files_are_placed_again_elsewhere()
    {
        var leaving = await Own(TestBox.StartAsync());
        var staying = await Own(TestBox.StartAsync());
        _entrance.Offer(leaving.Ranked(0.9));
        var publisher = await Own(PublisherHost.StartAsync([_entrance.Url], new Dictionary<string, string?> { ["Publisher:Replication"] = "1" }));
        await publisher.Publisher.PublishAsync(publisher.WriteFile("vanish/a.bin", 5000), TimeSpan.FromSeconds(120), default);
        Assert.Equal([leaving.Id], (await publisher.Publisher.WaitAsync("/pub/vanish/a.bin", default)).Holders.Select(h => h.Box));

        _entrance.Offer(staying.Ranked(0.5));
        await Eventually.Until(() => leaving.OpenSessions == 0, "the session to the vanished box to close");
        var moved = await Eventually.Until(() => Task.FromResult(
            publisher.Publisher.GetStatus("/pub/vanish/a.bin") is { Holders: [{ } only] } s && only.Box == staying.Id ? s : null), "the file on the remaining box");
        Assert.Equal(FileState.Placed, moved.State);
        Assert.NotNull(staying.FileFor(publisher.Id, "/pub/vanish/a.bin"));
    }

    [Fact]
    public async Task With_every_box_gone_media_is_served_from_the_origin_and_counted()
    {
        var box = await Own(TestBox.StartAsync());
        _entrance.Offer(box.Ranked(0.5));
        var publisher = await Own(PublisherHost.StartAsync([_entrance.Url], new Dictionary<string, string?> { ["Publisher:Replication"] = "1" }));
        var path = publisher.WriteFile("gone/a.bin", 40_000);
        await publisher.Publisher.PublishAsync(path, TimeSpan.FromSeconds(60), default);
        Assert.Equal(FileState.Placed, (await publisher.Publisher.WaitAsync("/pub/gone/a.bin", default)).State);
        using (var redirected = await publisher.Viewer.GetAsync("media/pub/gone/a.bin"))
            Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);

        _entrance.Offer();
        await box.KillAsync();
        await Eventually.Until(async () =>
        {
            using var response = await publisher.Viewer.GetAsync("media/pub/gone/a.bin");
            return response.StatusCode == HttpStatusCode.OK;
        }, "the origin to serve the file");

        Assert.Equal(await File.ReadAllBytesAsync(path), await publisher.Viewer.GetByteArrayAsync("media/pub/gone/a.bin"));
        var stats = await publisher.Viewer.GetFromJsonAsync<Dictionary<string, Telemetry.StreamStats>>("api/stats");
        Assert.True(stats!["files"].OriginRequests >= 2);
        Assert.True(stats["files"].OriginBytes >= 2 * 40_000);
        Assert.True(stats["files"].RedirectRequests >= 1);
    }

    private async Task<T> Own<T>(Task<T> starting) where T : IAsyncDisposable
    {
        var owned = await starting;
        _owned.Add(owned);
        return owned;
    }
}
