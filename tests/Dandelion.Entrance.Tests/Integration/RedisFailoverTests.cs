using Dandelion.Entrance.Redis;
using Dandelion.Entrance.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Dandelion.Entrance.Tests.Integration;

/// <summary>A Redis Cluster master killed under load: its replica takes over, nothing counted is lost or doubled.</summary>
public sealed class RedisFailoverTests(ClusterFixture redis) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task On_a_master_with_replicas_traffic_is_acknowledged_once_counted_a_grace_ago()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix(), new Dictionary<string, string?>
        {
            ["Entrance:ReplicationGrace"] = "00:00:00.500",
        });
        var boxId = ClusterFixture.BoxOnMaster(2);
        var watch = app.Services.GetRequiredService<ReplicationWatch>();
        await Eventually.MatchAsync(() => Task.FromResult(watch.GraceFor(RedisKeys.BucketIndex(boxId))), grace => grace > TimeSpan.Zero,
            "the entrance to see the master's replica");
        await using var box = await Peer.ConnectAsync(app.WebSocket);

        // Counted now, acknowledged only once it is half a second old: the box sends entry 1 again.
        await box.SendAsync(Messages.V2Exchange(boxId, 1, traffic: [(1, 100)]));
        Assert.Null((long?)(await box.ReceiveAsync())["TRAFFIC_ACK"]);
        await Task.Delay(600);
        await box.SendAsync(Messages.V2Exchange(boxId, 2, traffic: [(1, 100), (2, 50)]));
        Assert.Equal(1, (long?)(await box.ReceiveAsync())["TRAFFIC_ACK"]);
        await Task.Delay(600);
        await box.SendAsync(Messages.V2Exchange(boxId, 3, traffic: [(2, 50)]));
        Assert.Equal(2, (long?)(await box.ReceiveAsync())["TRAFFIC_ACK"]);
        Assert.Equal(150, (long?)(await app.BoxAsync(boxId))!["bytesServed"]); // each counted once
    }

    [Fact]
    public async Task Killing_a_master_is_survived_with_exact_traffic_totals_and_the_boxes_stay_registered()
    {
        var prefix = RedisFixture.NewPrefix();
        await using var a = EntranceApp.Start(redis.ConnectionString, prefix);
        await using var b = EntranceApp.Start(redis.ConnectionString, prefix);
        await using var c = EntranceApp.Start(redis.ConnectionString, prefix);
        EntranceApp[] entrances = [a, b, c];
        // Three boxes per entrance, each entrance's on all three masters.
        var boxes = Enumerable.Range(0, 9)
            .Select(i => new TrafficBox(ClusterFixture.BoxOnMaster(i % 3), entrances[i / 3].WebSocket)).ToList();
        try
        {
            async Task BeatAllAsync(bool serve) => await Task.WhenAll(boxes.Select(box => box.BeatAsync(serve)));

            // Serving, then the master of bucket 5 (a third of the boxes) dies mid-stream.
            for (var beat = 0; beat < 10; beat++)
                await BeatAllAsync(serve: true);
            Assert.All(boxes, box => Assert.True(box.Accepted > 0));
            var slot = ClusterSlot.Of(new RedisKeys(prefix).Bucket(5).Expiry!);
            var victim = await redis.Cluster.MasterOfSlotAsync(slot);
            await victim.KillAsync();

            // They keep serving through the failover until every one is accepted again, several times.
            var acceptedBefore = boxes.ToDictionary(box => box.Id, box => box.Accepted);
            await Eventually.MatchAsync(async () =>
            {
                await BeatAllAsync(serve: true);
                return boxes.Min(box => box.Accepted - acceptedBefore[box.Id]);
            }, fewest => fewest >= 5, "every box to be accepted again after the failover", TimeSpan.FromSeconds(90));
            // The failover happened: another node serves the slot now (refusals meanwhile are likely, not
            // certain: the entrance's retries can outlast a quick promotion).
            Assert.NotSame(victim, await redis.Cluster.MasterOfSlotAsync(slot));

            // Then nothing new: heartbeats until every entry is acknowledged.
            await Eventually.MatchAsync(async () =>
            {
                await BeatAllAsync(serve: false);
                return boxes.Sum(box => box.Pending);
            }, pending => pending == 0, "every entry to be acknowledged", TimeSpan.FromSeconds(60));

            foreach (var box in boxes)
            {
                var detail = (await a.BoxAsync(box.Id))!;
                Assert.Equal(box.RequestsSent, (long?)detail["requestsServed"]);
                Assert.Equal(box.BytesSent, (long?)detail["bytesServed"]);
            }
            foreach (var entrance in entrances)
            {
                await Eventually.MatchAsync(() => entrance.SearchAsync(Messages.V2Search(Messages.NewPublisherId(), count: 100)),
                    search => boxes.All(box => search["BOX_SET"]!.AsObject().ContainsKey(box.Id)), "every box offered by every entrance after the failover");
            }
        }
        finally
        {
            foreach (var box in boxes)
                await box.DisposeAsync();
        }
    }
}
