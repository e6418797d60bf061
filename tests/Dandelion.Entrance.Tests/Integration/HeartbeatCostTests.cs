using System.Threading.Channels;
using Dandelion.Entrance.Redis;
using Dandelion.Entrance.Search;
using Dandelion.Entrance.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Dandelion.Entrance.Tests.Integration;

/// <summary>What an EXCHANGE costs Redis: one command, writing only what changed.</summary>
public sealed class HeartbeatCostTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task An_unchanged_box_is_not_rewritten_and_only_its_expiry_moves()
    {
        var prefix = RedisFixture.NewPrefix();
        await using var app = StartQuiet(prefix);
        var boxId = Messages.NewBoxId();
        var bucket = new RedisKeys(prefix).BucketOf(boxId);
        using var watcher = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var feed = Channel.CreateUnbounded<string>();
        (await watcher.GetSubscriber().SubscribeAsync(bucket.Feed)).OnMessage(m => feed.Writer.TryWrite(((string)m.Message!)[..1]));
        var database = watcher.GetDatabase();

        await using var box = await Peer.ConnectAsync(app.WebSocket);
        await box.SendAsync(Messages.V2Exchange(boxId, 1));
        await box.ReceiveAsync();
        Assert.Equal("U", await feed.Reader.ReadAsync().AsTask().WaitAsync(Peer.Patience)); // new: written whole
        var firstExpiry = await database.SortedSetScoreAsync(bucket.Expiry, boxId);

        // The next heartbeats differ only in SEQ and CPU use: the expiry moves, nothing else is written.
        for (var seq = 2; seq <= 3; seq++)
        {
            var exchange = Messages.V2Exchange(boxId, seq);
            exchange["CPU-USR"] = $"{seq * 10}.0";
            await box.SendAsync(exchange);
            await box.ReceiveAsync();
        }
        Assert.True(await database.SortedSetScoreAsync(bucket.Expiry, boxId) >= firstExpiry);
        Assert.Equal(1, (long?)(await app.BoxAsync(boxId))!["lastExchange"]!["SEQ"]);

        // Half its bandwidth in use moves a score part: written again, and the feed's next message is that one.
        await box.SendAsync(Messages.V2Exchange(boxId, 4, used: 5_000_000));
        await box.ReceiveAsync();
        Assert.Equal("U", await feed.Reader.ReadAsync().AsTask().WaitAsync(Peer.Patience));
        Assert.Equal(4, (long?)(await app.BoxAsync(boxId))!["lastExchange"]!["SEQ"]);
        Assert.False(feed.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_steady_heartbeat_is_one_script_that_writes_only_the_expiry_and_the_count()
    {
        var prefix = RedisFixture.NewPrefix();
        await using var app = StartQuiet(prefix);
        var boxId = Messages.NewBoxId();
        await using var box = await Peer.ConnectAsync(app.WebSocket);
        await box.SendAsync(Messages.V2Exchange(boxId, 1));
        await box.ReceiveAsync();
        // Started: subscribed to every feed and loaded.
        await app.Services.GetRequiredService<IndexFeed>().Ready.WaitAsync(Peer.Patience);
        using var admin = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",allowAdmin=true");
        var server = admin.GetServers().Single();
        await server.ConfigResetStatisticsAsync();

        for (var seq = 2; seq <= 4; seq++)
        {
            await box.SendAsync(Messages.V2Exchange(boxId, seq));
            await box.ReceiveAsync();
        }

        var calls = (await server.InfoAsync("commandstats")).SelectMany(g => g)
            .ToDictionary(e => e.Key.Replace("cmdstat_", "", StringComparison.Ordinal), e => long.Parse(e.Value.Split(',')[0]["calls=".Length..]));
        // One script per EXCHANGE (one command, one round trip); inside it the expiry and the count move, and nothing is rewritten or announced.
        Assert.Equal(3, calls.GetValueOrDefault("evalsha") + calls.GetValueOrDefault("eval"));
        Assert.Equal(3, calls.GetValueOrDefault("zadd"));
        Assert.Equal(3, calls.GetValueOrDefault("hincrby"));
        Assert.DoesNotContain("hset", calls.Keys);
        Assert.DoesNotContain("spublish", calls.Keys);
        Assert.DoesNotContain("geoadd", calls.Keys);
        // Besides the scripts and what they called (reads, and SREM of an ACTIVE box from the draining set,
        // which changes nothing unless it was draining), only this test's own INFO and CONFIG.
        var outside = new[] { "evalsha", "eval", "zadd", "hincrby", "hget", "hmget", "sismember", "srem", "exists", "info", "config|resetstat" };
        Assert.All(calls.Keys, name => Assert.Contains(name, outside));
    }

    /// <summary>
    /// An entrance where nothing periodic runs during a test: heartbeat 10 min, expiry 30 min (so an
    /// expiry is announced at most every 15 min, however slow this machine is), records refreshed
    /// hourly. Every command Redis counts is an EXCHANGE's.
    /// </summary>
    private EntranceApp StartQuiet(string prefix) => EntranceApp.Start(redis.ConnectionString, prefix, new Dictionary<string, string?>
    {
        ["Entrance:Heartbeat"] = "00:10:00",
        ["Entrance:IdleTimeout"] = "00:30:00",
        ["Entrance:Expiry"] = null,
        ["Entrance:RecordRefresh"] = "01:00:00",
    });
}
