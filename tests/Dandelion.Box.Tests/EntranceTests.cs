using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using Dandelion.Box.Traffic;
using Dandelion.Testing;

namespace Dandelion.Box.Tests;

/// <summary>The real box against the real entrance and a real Redis.</summary>
public sealed class EntranceTests : IAsyncLifetime
{
    private EntranceRig _rig = null!;

    public async Task InitializeAsync() => _rig = await EntranceRig.StartAsync("entrance");

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    private EntranceHost StartEntrance() => _rig.StartEntrance();

    private BoxHost StartBox(EntranceHost entrance) => BoxHost.Start(_rig.BoxData, new Dictionary<string, string?>
    {
        ["Box:Entrances:0"] = entrance.WebSocketUrl,
        ["Box:Heartbeat"] = "00:00:00.300",
        ["Box:UploadCeiling"] = "1000000",
    });

    private static async Task<JsonElement> SearchAsync(EntranceHost entrance)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(entrance.WebSocketUrl), CancellationToken.None);
        await BoxHost.SendTextAsync(socket, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["ID"] = TestPublisher.DefaultId, ["IP"] = "127.0.0.1", ["TYPE"] = "PUBLISHER", ["COMMAND"] = "SEARCH", ["VERSION"] = 2, ["COUNT"] = 5,
            ["TOKEN"] = TestCredentials.TokenFor(TestPublisher.DefaultId),
        }));
        return (await BoxHost.ReceiveJsonAsync(socket))!.Value;
    }

    [Fact]
    public async Task A_box_registers_heartbeats_is_found_by_search_and_is_removed_when_stopped()
    {
        await using var entrance = StartEntrance();
        var box = StartBox(entrance);
        string id = box.Id;
        try
        {
            await BoxHost.EventuallyAsync(async () => await entrance.BoxAsync(id) is not null, "the box registered");
            var first = (await entrance.BoxAsync(id))!;
            var exchange = first["lastExchange"]!;
            Assert.Equal($"http://127.0.0.1:{box.Port}/dandelion/{id}/ws/", (string?)exchange["CONNECT_WS"]);
            Assert.Equal($"http://127.0.0.1:{box.HttpPort}/", (string?)exchange["HTTP_URL"]);
            Assert.Equal(Environment.ProcessorCount.ToString(), (string?)exchange["CPU-NUM"]);
            Assert.True(long.Parse((string)exchange["MEM-TOTAL"]!) > 0);
            Assert.True(long.Parse((string)exchange["DISK-TOTAL"]!) > 0);

            // Heartbeats keep coming on the one session.
            var seq = (long?)exchange["SEQ"] ?? 0;
            await BoxHost.EventuallyAsync(async () => (long?)(await entrance.BoxAsync(id))?["lastExchange"]?["SEQ"] >= seq + 3, "three more heartbeats");

            var search = await SearchAsync(entrance);
            Assert.True(search.GetProperty("BOX_SET").TryGetProperty(id, out var listed), search.ToString());
            Assert.Equal($"http://127.0.0.1:{box.Port}/dandelion/{id}/ws/", listed.GetProperty("CONNECT_WS").GetString());
            var ranked = search.GetProperty("RANKING").EnumerateArray().Single(r => r.GetProperty("ID").GetString() == id);
            Assert.Equal($"http://127.0.0.1:{box.HttpPort}/", ranked.GetProperty("HTTP_URL").GetString());
        }
        finally
        {
            await box.DisposeAsync();
        }
        await BoxHost.EventuallyAsync(async () => await entrance.BoxAsync(id) is null, "the box removed when it stopped");
        var after = await SearchAsync(entrance);
        Assert.False(after.GetProperty("BOX_SET").TryGetProperty(id, out _));
    }

    [Fact]
    public async Task A_box_stating_only_a_city_starts_and_the_entrance_places_it_there()
    {
        await using var entrance = StartEntrance();
        await using var box = BoxHost.Start(_rig.BoxData, new Dictionary<string, string?>
        {
            ["Box:Entrances:0"] = entrance.WebSocketUrl,
            ["Box:Heartbeat"] = "00:00:00.300",
            ["Box:Location:City"] = "Lyon",
            ["Box:Location:Country"] = "FR",
        });
        await BoxHost.EventuallyAsync(async () => await entrance.BoxAsync(box.Id) is not null, "the box registered");
        // From loopback GeoIP cannot place it: the gazetteer's Lyon (45.749° N 4.848° E) is its owner's word.
        var geo = (await entrance.BoxAsync(box.Id))!["lastExchange"]!["GEO"]!;
        Assert.Equal("stated", (string?)geo["SOURCE"]);
        Assert.Equal(45.749, (double)geo["LAT"]!, 0.01);
        Assert.Equal(4.848, (double)geo["LON"]!, 0.01);
        Assert.Equal("Lyon", (string?)geo["CITY"]);
    }

    [Fact]
    public async Task The_upload_rate_sent_to_the_entrance_is_the_bytes_viewers_downloaded_over_the_window()
    {
        await using var entrance = StartEntrance();
        await using var box = StartBox(entrance);
        var (publisher, _) = await TestPublisher.ConnectAsync(box, version: 2);
        using (publisher)
            await publisher.PutAsync(TestPublisher.Version2Frame("/live/rate.ts", 600, new byte[300_000]));
        await BoxHost.EventuallyAsync(async () => await entrance.BoxAsync(box.Id) is not null, "the box registered");

        // What viewers actually received: whole files, and a range of one.
        long downloaded = 0;
        for (var i = 0; i < 4; i++)
            downloaded += (await box.Http.GetByteArrayAsync($"{publisher.Id}/live/rate.ts")).Length;
        using (var range = new HttpRequestMessage(HttpMethod.Get, $"{publisher.Id}/live/rate.ts"))
        {
            range.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(1000, 50_999);
            using var response = await box.Http.SendAsync(range);
            downloaded += (await response.Content.ReadAsByteArrayAsync()).Length;
        }
        Assert.Equal(4 * 300_000 + 50_000, downloaded);

        // Averaged over the 10 s window (Box:UploadRateWindow's default), every byte sent inside it.
        var window = 10;
        long? Rate(System.Text.Json.Nodes.JsonObject? detail) => (long?)detail?["lastExchange"]?["BANDWIDTH-USED"];
        await BoxHost.EventuallyAsync(async () => Rate(await entrance.BoxAsync(box.Id)) == downloaded / window,
            $"an EXCHANGE reporting {downloaded / window} B/s", TimeSpan.FromSeconds(30));
        // A sliding window: once the downloads are older than it, the rate is 0 again.
        await BoxHost.EventuallyAsync(async () => Rate(await entrance.BoxAsync(box.Id)) == 0, "the rate back to 0", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_busy_box_serving_thousands_of_requests_between_heartbeats_stays_registered_and_all_are_counted()
    {
        // Issue 10: a box serving at full speed once sent a heartbeat's traffic in one EXCHANGE
        // over the entrance's 64 KiB limit and was refused on every reconnection.
        const int Requests = 4000;
        await using var entrance = StartEntrance();
        await using var box = StartBox(entrance);
        var (publisher, _) = await TestPublisher.ConnectAsync(box, version: 2);
        using (publisher)
            await publisher.PutAsync(TestPublisher.Version2Frame("/live/busy-segment-with-a-long-name.ts", 600, new byte[100]));
        await BoxHost.EventuallyAsync(async () => await entrance.BoxAsync(box.Id) is not null, "the box registered");

        // 16 viewers at once, as fast as the box answers: far more entries than one 64 KiB message holds.
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= Requests)
                Assert.Equal(100, (await box.Http.GetByteArrayAsync($"{publisher.Id}/live/busy-segment-with-a-long-name.ts")).Length);
        })));

        var outbox = box.Service<TrafficOutbox>();
        await BoxHost.EventuallyAsync(async () =>
        {
            var detail = await entrance.BoxAsync(box.Id);
            // Registered throughout: never refused while the backlog goes over.
            Assert.NotNull(detail);
            return (long?)detail["requestsServed"] == Requests && (long?)detail["bytesServed"] == Requests * 100L && outbox.Count == 0;
        }, $"all {Requests} requests counted", TimeSpan.FromSeconds(120));
        Assert.NotNull(await entrance.BoxAsync(box.Id));
    }

    [Fact]
    public async Task Traffic_is_counted_exactly_once_across_an_entrance_restart()
    {
        var entrance = StartEntrance();
        await using var box = StartBox(entrance);
        var (publisher, _) = await TestPublisher.ConnectAsync(box, version: 2);
        using (publisher)
            await publisher.PutAsync(TestPublisher.Version2Frame("/live/seg.ts", 600, new byte[1000]));
        var outbox = box.Service<TrafficOutbox>();
        async Task ServeAsync(int times)
        {
            for (var i = 0; i < times; i++)
                Assert.Equal(1000, (await box.Http.GetByteArrayAsync($"{publisher.Id}/live/seg.ts")).Length);
        }
        async Task<(long?, long?)> CountedAsync(EntranceHost e)
        {
            var detail = await e.BoxAsync(box.Id);
            return ((long?)detail?["requestsServed"], (long?)detail?["bytesServed"]);
        }

        await BoxHost.EventuallyAsync(async () => await entrance.BoxAsync(box.Id) is not null, "the box registered");
        await ServeAsync(3);
        await BoxHost.EventuallyAsync(async () => await CountedAsync(entrance) == (3, 3000) && outbox.Count == 0, "three requests counted and acknowledged");

        await entrance.DisposeAsync();
        await ServeAsync(4);
        await BoxHost.EventuallyAsync(() => outbox.Count == 4, "four requests waiting while the entrance is down");

        await using var restarted = StartEntrance();
        await BoxHost.EventuallyAsync(async () => await CountedAsync(restarted) == (7, 7000) && outbox.Count == 0, "all seven counted after the restart");
        // A few more heartbeats change nothing: nothing is counted twice.
        var seq = (long?)(await restarted.BoxAsync(box.Id))!["lastExchange"]!["SEQ"] ?? 0;
        await BoxHost.EventuallyAsync(async () => (long?)(await restarted.BoxAsync(box.Id))?["lastExchange"]?["SEQ"] >= seq + 3, "three more heartbeats");
        Assert.Equal((7L, 7000L), await CountedAsync(restarted));
    }

    [Fact]
    public async Task An_operator_drains_resumes_and_purges_the_box_through_the_entrance()
    {
        await using var entrance = StartEntrance();
        await using var box = StartBox(entrance);
        var node = box.Service<Dandelion.Box.Node.BoxNode>();
        await BoxHost.EventuallyAsync(async () => await entrance.BoxAsync(box.Id) is not null, "the box registered");
        var (publisher, _) = await TestPublisher.ConnectAsync(box, version: 2);
        using (publisher)
        {
            Assert.Equal("STORED", (await publisher.PutAsync(TestPublisher.Version2Frame("/p/a.ts", 0, [1]))).GetProperty("COMMAND").GetString());

            (await entrance.Client.PostAsync($"/api/boxes/{box.Id}/drain", null)).EnsureSuccessStatusCode();
            await BoxHost.EventuallyAsync(() => node.Draining, "the box draining");
            Assert.Equal("draining", (await publisher.PutAsync(TestPublisher.Version2Frame("/p/b.ts", 0, [1]))).GetProperty("CODE").GetString());
            await BoxHost.EventuallyAsync(async () => (string?)(await entrance.BoxAsync(box.Id))?["lastExchange"]?["STATE"] == "DRAINING", "DRAINING reported");

            (await entrance.Client.PostAsync($"/api/boxes/{box.Id}/resume", null)).EnsureSuccessStatusCode();
            await BoxHost.EventuallyAsync(() => !node.Draining, "the box active again");
            Assert.Equal("STORED", (await publisher.PutAsync(TestPublisher.Version2Frame("/p/b.ts", 0, [1]))).GetProperty("COMMAND").GetString());
        }

        (await entrance.Client.PostAsync($"/api/boxes/{box.Id}/purge", null)).EnsureSuccessStatusCode();
        await BoxHost.EventuallyAsync(() => !Directory.Exists(Path.Combine(box.StorageDirectory, publisher.Id)), "every file purged");
        await BoxHost.EventuallyAsync(async () => (await entrance.BoxAsync(box.Id))?["lastExchange"]?["FILES"]?.ToJsonString() is "0" or "\"0\"",
            "FILES 0 reported");
    }

    [Fact]
    public async Task A_stopping_box_leaves_at_once_publishers_hear_going_away_new_files_are_refused_the_entrance_forgets_the_box_and_it_exits_promptly()
    {
        await using var entrance = StartEntrance();
        var box = StartBox(entrance);
        var id = box.Id;
        await BoxHost.EventuallyAsync(async () => await entrance.BoxAsync(id) is not null, "the box registered");
        // One of ours, which reads, and an original one, which never reads after PUBLISH (so never answers a close).
        var (ours, _) = await TestPublisher.ConnectAsync(box, version: 2);
        var (original, _) = await TestPublisher.ConnectAsync(box, version: 1, id: "publisher-ffeeddccbbaa99887766554433221100");
        using (ours)
        using (original)
        {
            Assert.Equal("STORED", (await ours.PutAsync(TestPublisher.Version2Frame("/before.ts", 600, new byte[10]))).GetProperty("COMMAND").GetString());

            var clock = Stopwatch.StartNew();
            var stopping = box.DisposeAsync().AsTask();

            // Told at once that the box is going away.
            Assert.Null(await BoxHost.ReceiveJsonAsync(ours.Socket));
            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, ours.Socket.CloseStatus);
            Assert.Equal("box-stopping", ours.Socket.CloseStatusDescription);

            // A file sent now is not kept.
            try
            {
                await original.SendFrameAsync(TestPublisher.Version1Frame("/after.ts", 600, new byte[10]));
            }
            catch (WebSocketException)
            {
                // The box may already have cut the connection: refused all the same.
            }

            // The entrance hears it at once, while the box is still held up by the original publisher
            // (which never answers the close: the box cuts it off at its 1.5 s stop timeout).
            await BoxHost.EventuallyAsync(async () => await entrance.BoxAsync(id) is null, "the entrance forgot the box", TimeSpan.FromSeconds(15));
            Assert.False(stopping.IsCompleted, "the entrance heard of the box leaving only once it had stopped");

            await stopping;
            clock.Stop();
            // Generous: the box stops in about 2 s; before, a publisher that never answers a close held it longer.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"the box took {clock.Elapsed} to stop");
        }
        Assert.True(File.Exists(Path.Combine(_rig.BoxData, "files", TestPublisher.DefaultId, "before.ts")));
        Assert.False(File.Exists(Path.Combine(_rig.BoxData, "files", "publisher-ffeeddccbbaa99887766554433221100", "after.ts")));
    }
}
