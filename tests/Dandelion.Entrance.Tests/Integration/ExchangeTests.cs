using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Dandelion.Entrance.Tests.Support;

namespace Dandelion.Entrance.Tests.Integration;

public sealed class ExchangeTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task A_version_1_box_exchanges_exactly_as_the_original_and_its_traffic_counts_once()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix(), new Dictionary<string, string?>
        {
            ["Entrance:Peers:0"] = "ws://203.0.113.9:8000/dandelion/ws/",
            ["Entrance:Peers:1"] = "https://entrance-2.example.org/dandelion/ws/",   // the original's form works too
        });
        var boxId = Messages.NewBoxId();
        // The original ships each entry in two EXCHANGEs: counted once.
        var exchange = Messages.V1Exchange(boxId, "127.0.0.1", ("log-" + new string('a', 32), "/live/1.ts", "1000"), ("log-" + new string('b', 32), "/live/2.ts", "24"));

        var reply = await app.ExchangeOnceAsync(exchange);
        var again = await app.ExchangeOnceAsync(exchange.DeepClone().AsObject());

        foreach (var r in new[] { reply, again })
        {
            Assert.StartsWith("entrance-", (string?)r["ID"]);
            Assert.Equal("ENTRANCE", (string?)r["TYPE"]);
            Assert.Equal("EXCHANGE", (string?)r["COMMAND"]);
            Assert.Equal("ACCEPTED", (string?)r["MESSAGE"]);
            Assert.Equal(app.Http.Port.ToString(), (string?)r["PORT"]);
            // In the only form an original box takes: http(s)://, for aiohttp's ws_connect.
            Assert.Equal([$"http://127.0.0.1:{app.Http.Port}/dandelion/ws/", "http://203.0.113.9:8000/dandelion/ws/",
                    "https://entrance-2.example.org/dandelion/ws/"],
                r["ENTRANCE_URLS"]!.AsArray().Select(u => (string?)u));
            // A version 1 peer hears only version 1 keys.
            Assert.False(r.ContainsKey("VERSION"));
            Assert.False(r.ContainsKey("GEO"));
        }

        var detail = (await app.BoxAsync(boxId))!;
        Assert.Equal(2, (long?)detail["requestsServed"]);
        Assert.Equal(1024, (long?)detail["bytesServed"]);
        Assert.Equal("0.52", (string?)detail["lastExchange"]!["LOADAVG-1"]);
        Assert.Equal(1, (int?)detail["box"]!["version"]);
        var stats = await app.StatsAsync();
        Assert.Equal(1, (long?)stats["boxesLive"]);
        Assert.Equal(2, (long?)stats["exchanges"]);
        Assert.Equal(1024, (long?)stats["bytesServed"]);
    }

    [Fact]
    public async Task A_version_2_box_keeps_one_session_and_is_answered_every_heartbeat()
    {
        // Auth off (an operator's explicit choice): no GRANT_KEY is handed out.
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix(),
            new Dictionary<string, string?> { ["Entrance:Auth:Enabled"] = "false" });
        var boxId = Messages.NewBoxId();
        await using var box = await Peer.ConnectAsync(app.WebSocket);

        // From loopback the entrance believes the public IP the box reports.
        await box.SendAsync(Messages.V2Exchange(boxId, 1, ip: PublicAddresses.UnitedStates, traffic: [(1, 100), (2, 200)]));
        var first = await box.ReceiveAsync();
        Assert.Equal(2, (int?)first["VERSION"]);
        Assert.Equal(1, (long?)first["SEQ"]);
        Assert.Equal(2, (long?)first["TRAFFIC_ACK"]);
        Assert.Equal("US", (string?)first["GEO"]!["COUNTRY"]);
        Assert.True((bool?)first["GEO"]!["KNOWN"]);
        Assert.Equal(1, (long?)first["HEARTBEAT"]);
        Assert.Equal(15, (long?)first["EXPIRY"]);
        Assert.False(first.ContainsKey("GRANT_KEY"));

        // Entry 2 again (not yet dropped by the box) and a new one: only 3 counts.
        await box.SendAsync(Messages.V2Exchange(boxId, 2, ip: PublicAddresses.UnitedStates, traffic: [(2, 200), (3, 50)]));
        var second = await box.ReceiveAsync();
        Assert.Equal(2, (long?)second["SEQ"]);
        Assert.Equal(3, (long?)second["TRAFFIC_ACK"]);

        await box.SendAsync(Messages.V2Exchange(boxId, 3, ip: PublicAddresses.UnitedStates));
        Assert.Equal(3, (long?)(await box.ReceiveAsync())["TRAFFIC_ACK"]);
        Assert.Equal(WebSocketState.Open, box.State);

        var detail = (await app.BoxAsync(boxId))!;
        Assert.Equal(3, (long?)detail["requestsServed"]);
        Assert.Equal(350, (long?)detail["bytesServed"]);
        Assert.Equal(1, (long?)detail["openSessions"]);
        Assert.Equal(2, (int?)detail["box"]!["version"]);
        Assert.Equal(1, (long?)(await app.StatsAsync())["sessionsOnThisEntrance"]);
    }

    [Fact]
    public async Task A_version_1_box_is_kept_for_the_version_1_expiry_a_version_2_box_for_the_short_one()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix(), new Dictionary<string, string?>
        {
            ["Entrance:Expiry"] = "00:00:03",
            ["Entrance:Version1Expiry"] = "00:10:00",
        });
        var original = Messages.NewBoxId();
        var ours = Messages.NewBoxId();
        await app.ExchangeOnceAsync(Messages.V1Exchange(original));
        await using var box = await Peer.ConnectAsync(app.WebSocket);
        await box.SendAsync(Messages.V2Exchange(ours, 1));
        Assert.Equal(3, (long?)(await box.ReceiveAsync())["EXPIRY"]);

        var redisConnection = app.Services.GetRequiredService<Dandelion.Entrance.Redis.RedisConnection>();
        // What is left of each box's life: its expiry score in its bucket, less now.
        async Task<TimeSpan?> LeftAsync(string id) =>
            await redisConnection.Database.SortedSetScoreAsync(redisConnection.Keys.BucketOf(id).Expiry, id) is { } expiresAt
                ? DateTimeOffset.FromUnixTimeMilliseconds((long)expiresAt) - DateTimeOffset.UtcNow
                : null;
        var originalTtl = await LeftAsync(original);
        var oursTtl = await LeftAsync(ours);
        // Whatever time the test took, the version 1 box outlives the short expiry by far.
        Assert.InRange(originalTtl!.Value, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10));
        Assert.InRange(oursTtl!.Value, TimeSpan.Zero, TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Heartbeats_of_either_version_log_nothing_at_information()
    {
        var logs = new LogCapture();
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix(), new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",   // as an operator runs it
        }, logs);
        // The start's own Information lines (the index loaded from Redis) come first, whenever the load ends.
        await Eventually.MatchAsync(() => Task.FromResult(logs.Lines.Any(l => l.Message.StartsWith("Index loaded", StringComparison.Ordinal))),
            loaded => loaded, "the index to load");
        var original = Messages.NewBoxId();
        var ours = Messages.NewBoxId();
        await using var box = await Peer.ConnectAsync(app.WebSocket);
        await box.SendAsync(Messages.V2Exchange(ours, 1));
        await box.ReceiveAsync();
        // Joining is a state change, logged at Information; what follows is heartbeats only.
        await app.ExchangeOnceAsync(Messages.V1Exchange(original));
        var before = logs.Lines.Count(l => l.Level >= LogLevel.Information);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("ACCEPTED", (string?)(await app.ExchangeOnceAsync(Messages.V1Exchange(original)))["MESSAGE"]);
            await box.SendAsync(Messages.V2Exchange(ours, i + 2));
            await box.ReceiveAsync();
        }

        var during = logs.Lines.Where(l => l.Level >= LogLevel.Information).Skip(before).Select(l => $"{l.Category}: {l.Message}").ToList();
        Assert.Empty(during);
        Assert.Contains(logs.Lines, l => l.Level == LogLevel.Information);   // the capture works: the host's start lines
    }

    [Fact]
    public async Task A_version_2_box_is_gone_as_soon_as_its_session_closes()
    {
        // Expiry far beyond the test's patience: only the close can remove the box in time.
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix(), new Dictionary<string, string?>
        {
            ["Entrance:Expiry"] = "00:10:00",
        });
        var boxId = Messages.NewBoxId();
        var box = await Peer.ConnectAsync(app.WebSocket);
        await box.SendAsync(Messages.V2Exchange(boxId, 1));
        await box.ReceiveAsync();
        Assert.NotNull(await app.BoxAsync(boxId));

        await box.DisposeAsync();

        await Eventually.MatchAsync(() => app.BoxAsync(boxId), d => d is null, "the box to be removed on close");
        var search = await app.SearchAsync(Messages.V2Search(Messages.NewPublisherId()));
        Assert.Empty(search["BOX_SET"]!.AsObject());
        var gone = await app.GoneAsync();
        Assert.Contains(gone, g => (string?)g!["ID"] == boxId && (string?)g["REASON"] == "closed");
    }

    [Fact]
    public async Task A_version_1_box_closing_after_its_exchange_is_normal_and_it_stays()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix());
        var boxId = Messages.NewBoxId();
        await app.ExchangeOnceAsync(Messages.V1Exchange(boxId));

        // A version 2 box closing afterwards is removed: once that is visible, the earlier close was handled too.
        var other = Messages.NewBoxId();
        var box = await Peer.ConnectAsync(app.WebSocket);
        await box.SendAsync(Messages.V2Exchange(other, 1));
        await box.ReceiveAsync();
        await box.DisposeAsync();
        await Eventually.MatchAsync(() => app.BoxAsync(other), d => d is null, "the version 2 box to go on close");

        Assert.NotNull(await app.BoxAsync(boxId));
        var search = await app.SearchAsync(Messages.V1Search(Messages.NewPublisherId()));
        Assert.True(search["BOX_SET"]!.AsObject().ContainsKey(boxId));
    }

    [Fact]
    public async Task Silent_boxes_of_either_version_expire()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix(), new Dictionary<string, string?>
        {
            ["Entrance:Heartbeat"] = "00:00:00.200",
            ["Entrance:Expiry"] = "00:00:00.600",
            ["Entrance:Version1Expiry"] = "00:00:01",   // version 1 boxes have their own (default 120 s)
        });
        var v1 = Messages.NewBoxId();
        var v2 = Messages.NewBoxId();
        Assert.Equal("ACCEPTED", (string?)(await app.ExchangeOnceAsync(Messages.V1Exchange(v1)))["MESSAGE"]);
        // This box keeps its socket open but never speaks again.
        await using var quiet = await Peer.ConnectAsync(app.WebSocket);
        await quiet.SendAsync(Messages.V2Exchange(v2, 1));
        Assert.Equal("ACCEPTED", (string?)(await quiet.ReceiveAsync())["MESSAGE"]);

        await Eventually.MatchAsync(() => app.BoxAsync(v1), d => d is null, "the version 1 box to expire");
        await Eventually.MatchAsync(() => app.BoxAsync(v2), d => d is null, "the silent version 2 box to expire");
        var search = await app.SearchAsync(Messages.V2Search(Messages.NewPublisherId()));
        Assert.Empty(search["BOX_SET"]!.AsObject());
        var gone = await Eventually.MatchAsync(() => app.GoneAsync(), g => g.Count(e => (string?)e!["REASON"] == "expired") == 2, "the sweep to record both");
        Assert.Equal(WebSocketState.Open, quiet.State);
    }

    [Fact]
    public async Task Greets_on_http_and_reports_health()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix());
        var hi = await app.Client.GetStringAsync("/dandelion/");
        Assert.Matches("^HI entrance-[0-9a-f]{32}$", hi);
        Assert.Equal(hi, await app.Client.GetStringAsync("/dandelion"));
        Assert.Equal("Healthy", await app.Client.GetStringAsync("/health"));
        Assert.Equal("Healthy", await app.Client.GetStringAsync("/alive"));
    }

    [Fact]
    public async Task Both_websocket_paths_with_and_without_slash_take_an_exchange()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix());
        foreach (var path in new[] { "/dandelion/ws", "/dandelion/ws_change/", "/dandelion/ws_change" })
        {
            await using var box = await Peer.ConnectAsync(new Uri($"ws://{app.Http.Authority}{path}"));
            await box.SendAsync(Messages.V1Exchange(Messages.NewBoxId()));
            Assert.Equal("ACCEPTED", (string?)(await box.ReceiveAsync())["MESSAGE"]);
        }
        Assert.Equal(3, (long?)(await app.StatsAsync())["boxesLive"]);
    }
}
