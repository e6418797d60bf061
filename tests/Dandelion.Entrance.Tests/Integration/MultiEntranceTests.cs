using System.Net.WebSockets;
using Dandelion.Entrance.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dandelion.Entrance.Tests.Integration;

public sealed class MultiEntranceTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Two_entrances_on_one_redis_see_the_same_boxes_and_a_box_goes_only_when_its_last_session_closes()
    {
        var prefix = RedisFixture.NewPrefix();
        var settings = new Dictionary<string, string?> { ["Entrance:Expiry"] = "00:10:00" };
        await using var a = EntranceApp.Start(redis.ConnectionString, prefix, settings);
        await using var b = EntranceApp.Start(redis.ConnectionString, prefix, settings);
        Assert.NotEqual(await a.Client.GetStringAsync("/dandelion/"), await b.Client.GetStringAsync("/dandelion/"));

        // A version 1 box seen by A is offered by B: B's index hears of it on the bucket's feed
        // (within milliseconds; A's own index before A answers).
        var v1 = Messages.NewBoxId();
        await a.ExchangeOnceAsync(Messages.V1Exchange(v1));
        Assert.True((await a.SearchAsync(Messages.V1Search(Messages.NewPublisherId())))["BOX_SET"]!.AsObject().ContainsKey(v1));
        await Eventually.MatchAsync(() => b.SearchAsync(Messages.V1Search(Messages.NewPublisherId())),
            reply => reply["BOX_SET"]!.AsObject().ContainsKey(v1), "B to offer the box A saw");

        // A version 2 box holds a session with each entrance, as boxes do.
        var v2 = Messages.NewBoxId();
        var toA = await Peer.ConnectAsync(a.WebSocket);
        var toB = await Peer.ConnectAsync(b.WebSocket);
        await toA.SendAsync(Messages.V2Exchange(v2, 1, traffic: [(1, 500)]));
        Assert.Equal(1, (long?)(await toA.ReceiveAsync())["TRAFFIC_ACK"]);
        // B is handed the same unacknowledged entry: it was counted by A already.
        await toB.SendAsync(Messages.V2Exchange(v2, 1, traffic: [(1, 500), (2, 20)]));
        Assert.Equal(2, (long?)(await toB.ReceiveAsync())["TRAFFIC_ACK"]);
        var detail = (await b.BoxAsync(v2))!;
        Assert.Equal(2, (long?)detail["openSessions"]);
        Assert.Equal(520, (long?)detail["bytesServed"]);

        // An operator command sent to A reaches the session B holds, and A's.
        (await a.Client.PostAsync($"/api/boxes/{v2}/purge", null)).Dispose();
        Assert.Equal("PURGE", (string?)(await toB.ReceiveAsync())["COMMAND"]);
        Assert.Equal("PURGE", (string?)(await toA.ReceiveAsync())["COMMAND"]);

        // Closing the session with A leaves the box alive through B.
        await toA.DisposeAsync();
        await Eventually.MatchAsync(() => b.BoxAsync(v2), d => (long?)d?["openSessions"] == 1, "A's session to end");
        Assert.True((await a.SearchAsync(Messages.V2Search(Messages.NewPublisherId())))["BOX_SET"]!.AsObject().ContainsKey(v2));

        // Closing the last one removes it, for both (B, where it closed, at once; A from the feed).
        await toB.DisposeAsync();
        await Eventually.MatchAsync(() => a.BoxAsync(v2), d => d is null, "the box to go with its last session");
        Assert.False((await b.SearchAsync(Messages.V2Search(Messages.NewPublisherId())))["BOX_SET"]!.AsObject().ContainsKey(v2));
        await Eventually.MatchAsync(() => a.SearchAsync(Messages.V2Search(Messages.NewPublisherId())),
            reply => !reply["BOX_SET"]!.AsObject().ContainsKey(v2), "A to stop offering the closed box");
        Assert.Equal(1, (long?)(await a.StatsAsync())["boxesLive"]);
    }

    [Fact]
    public async Task An_entrance_that_stops_tells_its_boxes_it_is_going_and_leaves_them_registered()
    {
        var prefix = RedisFixture.NewPrefix();
        var settings = new Dictionary<string, string?> { ["Entrance:Expiry"] = "00:10:00" };
        await using var stopping = EntranceApp.Start(redis.ConnectionString, prefix, settings);
        await using var other = EntranceApp.Start(redis.ConnectionString, prefix, settings);
        var boxId = Messages.NewBoxId();
        await using var box = await Peer.ConnectAsync(stopping.WebSocket);
        await box.SendAsync(Messages.V2Exchange(boxId, 1));
        await box.ReceiveAsync();

        stopping.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        // "Going away" rather than a silent wait for the host's shutdown timeout: the box
        // reconnects elsewhere at once.
        var (_, status) = await box.ReceiveUntilCloseAsync();
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
        // The box did not go; its entrance did. It stays offered until it expires or reconnects.
        Assert.NotNull(await other.BoxAsync(boxId));
        Assert.True((await other.SearchAsync(Messages.V2Search(Messages.NewPublisherId())))["BOX_SET"]!.AsObject().ContainsKey(boxId));
    }
}
