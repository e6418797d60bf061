using System.Net;
using System.Net.WebSockets;
using Dandelion.Entrance.Tests.Support;

namespace Dandelion.Entrance.Tests.Integration;

/// <summary>Owns its Redis (a class fixture), since it stops and starts it.</summary>
public sealed class RedisOutageTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_entrance_rides_out_a_redis_restart_with_boxes_connected()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix());
        var boxId = Messages.NewBoxId();
        await using var box = await Peer.ConnectAsync(app.WebSocket);
        await box.SendAsync(Messages.V2Exchange(boxId, 1));
        Assert.Equal("ACCEPTED", (string?)(await box.ReceiveAsync())["MESSAGE"]);

        await redis.Server.StopAsync();
        try
        {
            await Eventually.MatchAsync(async () => (await app.Client.GetAsync("/health")).StatusCode,
                s => s == HttpStatusCode.ServiceUnavailable, "/health to report Redis down", Recovery);
            using (var alive = await app.Client.GetAsync("/alive"))
                Assert.Equal(HttpStatusCode.OK, alive.StatusCode);

            // The version 2 box hears "unavailable" and keeps its session.
            await box.SendAsync(Messages.V2Exchange(boxId, 2));
            var refused = await box.ReceiveAsync();
            Assert.Equal("unavailable", (string?)refused["CODE"]);
            Assert.Equal(WebSocketState.Open, box.State);

            // A version 1 box is told and closed with 1011; a publisher likewise.
            await using (var v1 = await Peer.ConnectAsync(app.WebSocket))
            {
                await v1.SendAsync(Messages.V1Exchange(Messages.NewBoxId()));
                var (messages, status) = await v1.ReceiveUntilCloseAsync();
                Assert.Equal("unavailable", (string?)Assert.Single(messages)["CODE"]);
                Assert.Equal(WebSocketCloseStatus.InternalServerError, status);
            }
            using (var stats = await app.Client.GetAsync("/api/stats"))
                Assert.Equal(HttpStatusCode.ServiceUnavailable, stats.StatusCode);
        }
        finally
        {
            await redis.Server.StartAgainAsync();
        }

        // Redis came back empty; the box's next heartbeat puts it back, with no restart of anything.
        var seq = 3;
        await Eventually.MatchAsync(async () =>
        {
            await box.SendAsync(Messages.V2Exchange(boxId, seq++));
            return await box.ReceiveAsync();
        }, reply => (string?)reply["MESSAGE"] == "ACCEPTED", "EXCHANGE to be accepted again", Recovery);
        await Eventually.MatchAsync(async () => (await app.Client.GetAsync("/health")).StatusCode,
            s => s == HttpStatusCode.OK, "/health to recover", Recovery);
        var search = await app.SearchAsync(Messages.V2Search(Messages.NewPublisherId()));
        Assert.True(search["BOX_SET"]!.AsObject().ContainsKey(boxId));
        Assert.Equal(1, (long?)(await app.BoxAsync(boxId))!["openSessions"]);
    }
}
