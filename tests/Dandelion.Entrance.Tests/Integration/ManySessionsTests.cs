using Dandelion.Entrance.Tests.Support;

namespace Dandelion.Entrance.Tests.Integration;

/// <summary>Many box sessions at once on one entrance: none is lost, none is counted twice.</summary>
public sealed class ManySessionsTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const int Boxes = 1000;

    [Fact]
    public async Task A_thousand_concurrent_sessions_are_all_answered_stored_and_removed()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix(), new Dictionary<string, string?>
        {
            ["Entrance:MaxConnectionsPerAddress"] = (Boxes + 10).ToString(),
            ["Entrance:Expiry"] = "00:10:00",
        });
        var ids = Enumerable.Range(0, Boxes).Select(_ => Messages.NewBoxId()).ToArray();
        var sessions = new Peer[Boxes];
        using var gate = new SemaphoreSlim(64);

        await Task.WhenAll(ids.Select(async (id, i) =>
        {
            await gate.WaitAsync();
            try
            {
                sessions[i] = await Peer.ConnectAsync(app.WebSocket);
            }
            finally
            {
                gate.Release();
            }
            for (var seq = 1; seq <= 2; seq++)
            {
                await sessions[i].SendAsync(Messages.V2Exchange(id, seq, traffic: [(seq, 10)]));
                var reply = await sessions[i].ReceiveAsync();
                Assert.Equal(seq, (long?)reply["SEQ"]);
                Assert.Equal(seq, (long?)reply["TRAFFIC_ACK"]);
            }
        }));

        var stats = await app.StatsAsync();
        Assert.Equal(Boxes, (long?)stats["boxesLive"]);
        Assert.Equal(Boxes, (long?)stats["sessionsOnThisEntrance"]);
        Assert.Equal(2 * Boxes, (long?)stats["exchanges"]);
        Assert.Equal(20 * Boxes, await Eventually.MatchAsync(async () => (long?)(await app.StatsAsync())["bytesServed"], b => b == 20 * Boxes, "traffic totals"));
        var search = await app.SearchAsync(Messages.V2Search(Messages.NewPublisherId(), count: 100));
        Assert.Equal(100, search["RANKING"]!.AsArray().Count);

        await Task.WhenAll(sessions.Select(s => s.DisposeAsync().AsTask()));
        await Eventually.MatchAsync(async () => (long?)(await app.StatsAsync())["boxesLive"], n => n == 0, "every box to go with its session");
    }
}
