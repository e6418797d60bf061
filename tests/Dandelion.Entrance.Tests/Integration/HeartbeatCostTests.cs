using System.Threading.Channels;
using Dandelion.Entrance.Redis;
using Dandelion.Entrance.Tests.Support;
using StackExchange.Redis;

namespace Dandelion.Entrance.Tests.Integration;

/// <summary>What an EXCHANGE writes: only what changed, and version 1 boxes on their own clock.</summary>
public sealed class HeartbeatCostTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task An_unchanged_box_is_not_rewritten_and_only_its_expiry_moves()
    {
        var prefix = RedisFixture.NewPrefix();
        await using var app = EntranceApp.Start(redis.ConnectionString, prefix, new Dictionary<string, string?>
        {
            // Expiry 30 min: an expiry is announced at most every 15 min, however slow this machine is.
            ["Entrance:Heartbeat"] = "00:10:00",
            ["Entrance:Expiry"] = null,
            ["Entrance:RecordRefresh"] = "01:00:00",
        });
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
}
