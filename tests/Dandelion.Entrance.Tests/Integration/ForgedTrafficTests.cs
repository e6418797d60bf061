using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Dandelion.Entrance.Tests.Support;

namespace Dandelion.Entrance.Tests.Integration;

/// <summary>Hostile EXCHANGE traffic against a real Redis: figures never go negative or overflow, the session lives.</summary>
public sealed class ForgedTrafficTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Forged_sizes_are_refused_without_breaking_the_session_or_counting_on_retry()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix());
        var boxId = Messages.NewBoxId();
        await using var box = await Peer.ConnectAsync(app.WebSocket);

        // Negative, over the largest file, and long.MaxValue twice (their sum overflowed the counting script).
        JsonObject Hostile(long seq) => Messages.V2Exchange(boxId, seq,
            traffic: [(1, 100), (2, -1_000_000_000_000), (3, 1L << 40), (4, long.MaxValue), (5, long.MaxValue), (6, 50)]);
        await box.SendAsync(Hostile(1));
        var first = await box.ReceiveAsync();
        Assert.Equal(6, (long?)first["TRAFFIC_ACK"]);   // every ID consumed, forged ones too

        // The same entries again (a retry): nothing more counted, the session still answered.
        await box.SendAsync(Hostile(2));
        var again = await box.ReceiveAsync();
        Assert.Equal(2, (long?)again["SEQ"]);
        Assert.Equal(6, (long?)again["TRAFFIC_ACK"]);
        Assert.Equal(WebSocketState.Open, box.State);

        var detail = (await app.BoxAsync(boxId))!;
        Assert.Equal(2, (long?)detail["requestsServed"]);
        Assert.Equal(150, (long?)detail["bytesServed"]);
        var stats = await app.StatsAsync();
        Assert.Equal(150, (long?)stats["bytesServed"]);
    }

    [Fact]
    public async Task Totals_are_clamped_so_they_never_overflow_however_many_large_claims()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix(), new Dictionary<string, string?>
        {
            ["Entrance:MaxTrafficSize"] = (1L << 40).ToString(),
            ["Entrance:MaxMessageBytes"] = (1 << 20).ToString(),
        });
        var boxId = Messages.NewBoxId();
        await using var box = await Peer.ConnectAsync(app.WebSocket);
        // 9000 entries of 1 TiB each pass 2^53 bytes; a plain HINCRBY would one day pass 2^63.
        for (var seq = 1; seq <= 9; seq++)
        {
            var entries = Enumerable.Range(0, 1000).Select(i => ((long)(seq * 1000 + i), 1L << 40)).ToArray();
            await box.SendAsync(Messages.V2Exchange(boxId, seq, traffic: entries));
            var reply = await box.ReceiveAsync();
            Assert.Equal(seq * 1000 + 999, (long?)reply["TRAFFIC_ACK"]);
        }
        Assert.Equal(WebSocketState.Open, box.State);
        var detail = (await app.BoxAsync(boxId))!;
        var bytes = (long)detail["bytesServed"]!;
        Assert.Equal(1L << 53, bytes);
    }
}
