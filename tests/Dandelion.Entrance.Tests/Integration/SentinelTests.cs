using System.Net;
using Dandelion.Entrance.Tests.Support;

namespace Dandelion.Entrance.Tests.Integration;

/// <summary>Redis behind Sentinel, by configuration alone: the entrance is given the sentinels and the service name.</summary>
public sealed class SentinelTests(SentinelFixture redis) : IClassFixture<SentinelFixture>
{
    [Fact]
    public async Task The_master_is_killed_and_the_entrance_carries_on_with_the_promoted_replica()
    {
        await using var app = EntranceApp.Start(redis.Sentinel.ConnectionString, RedisFixture.NewPrefix());
        var boxId = Messages.NewBoxId();
        await using var box = await Peer.ConnectAsync(app.WebSocket);
        var seq = 0;
        await box.SendAsync(Messages.V2Exchange(boxId, ++seq));
        Assert.Equal("ACCEPTED", (string?)(await box.ReceiveAsync())["MESSAGE"]);
        Assert.True((await app.SearchAsync(Messages.V2Search(Messages.NewPublisherId())))["BOX_SET"]!.AsObject().ContainsKey(boxId));

        await redis.Sentinel.Master.KillAsync();

        // The sentinels promote the replica; the entrance follows them, and the box's heartbeats are accepted again.
        await Eventually.MatchAsync(async () =>
        {
            await box.SendAsync(Messages.V2Exchange(boxId, ++seq));
            return await box.ReceiveAsync();
        }, reply => (string?)reply["MESSAGE"] == "ACCEPTED", "EXCHANGE to be accepted by the new master", TimeSpan.FromSeconds(60));
        Assert.Contains("role:master", await redis.Sentinel.Replica.CommandAsync("INFO replication"));
        await Eventually.MatchAsync(async () => (await app.Client.GetAsync("/health")).StatusCode, s => s == HttpStatusCode.OK, "/health");
        Assert.NotNull(await app.BoxAsync(boxId));
        Assert.True((await app.SearchAsync(Messages.V2Search(Messages.NewPublisherId())))["BOX_SET"]!.AsObject().ContainsKey(boxId));
    }
}
