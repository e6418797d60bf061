using System.Text.Json.Nodes;
using Dandelion.Entrance.Tests.Support;

namespace Dandelion.Entrance.Tests.Integration;

/// <summary>
/// Issue 9, "figures that cannot be forged": SEARCH believes a box's bandwidth only as far as the
/// operator allows and its served traffic shows, and takes at most Entrance:Search:MaxPerNetwork
/// boxes of one network into an answer. Auth is on (every test entrance), each box with its credential.
/// </summary>
public sealed class SearchCapTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    // A trusted proxy on loopback lets each peer arrive from its own public address; distance weighs
    // nothing, so only the figures tell the boxes apart.
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Entrance:GeoIp:TrustedProxies:0"] = "127.0.0.1",
        ["Entrance:Search:Weights:Distance"] = "0",
    };

    private static async Task<Peer> JoinAsync(EntranceApp app, string id, string address, long ceiling, long used,
        params (long Id, long Size)[] traffic)
    {
        var box = await Peer.ConnectAsync(app.WebSocket, forwardedFor: address);
        await box.SendAsync(Messages.V2Exchange(id, 1, ceiling: ceiling, used: used, traffic: traffic));
        var reply = await box.ReceiveAsync();
        Assert.Equal("ACCEPTED", (string?)reply["MESSAGE"]);
        return box;
    }

    [Fact]
    public async Task Forty_boxes_claiming_huge_bandwidth_do_not_take_the_slots_of_honest_boxes()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix(), Settings);
        var sessions = new List<Peer>();
        try
        {
            // Honest: 10 MB/s, half of it in use. Each box on a network of its own, so no per-network cap is at work.
            var honest = new HashSet<string>();
            for (var i = 0; i < 10; i++)
            {
                var id = Messages.NewBoxId();
                sessions.Add(await JoinAsync(app, id, $"11.{i}.1.5", ceiling: 10_000_000, used: 5_000_000));
                honest.Add(id);
            }
            // Forged: a terabyte per second, none of it in use, never seen serving anything.
            for (var i = 0; i < 40; i++)
                sessions.Add(await JoinAsync(app, Messages.NewBoxId(), $"12.{i}.1.5", ceiling: 1_000_000_000_000, used: 0));

            var reply = await app.SearchAsync(Messages.V2Search(Messages.NewPublisherId(), count: 10));

            var ranking = reply["RANKING"]!.AsArray().Select(r => r!.AsObject()).ToList();
            Assert.Equal(10, ranking.Count);
            Assert.All(ranking, r => Assert.Contains((string)r["ID"]!, honest));
            Assert.All(ranking, r => Assert.Equal(0.5, (double)r["PARTS"]!["BANDWIDTH"]!, 6));
            // What the entrance believes is in the record answered, for the publisher and the dashboard.
            Assert.All(ranking, r => Assert.Equal(12_500_000, (long?)reply["BOX_SET"]![(string)r["ID"]!]!["BANDWIDTH-BELIEVED"]));
        }
        finally
        {
            foreach (var session in sessions)
                await session.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_box_is_believed_by_what_it_served_up_to_the_operators_maximum()
    {
        var settings = new Dictionary<string, string?>(Settings)
        {
            ["Entrance:Search:NewBoxBandwidth"] = "2500000",
            ["Entrance:Search:MaxBoxBandwidth"] = "4000000",
        };
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix(), settings);
        var busy = Messages.NewBoxId();
        var idle = Messages.NewBoxId();
        // 60 MB served, counted in this EXCHANGE: 1 MB/s over the one-minute window, so 2.5 + 2 × 1 MB/s believed,
        // past the operator's 4 MB/s; the idle box gets the new box's 2.5 MB/s.
        await using var first = await JoinAsync(app, busy, "11.7.1.5", ceiling: 50_000_000, used: 0,
            [.. Enumerable.Range(1, 6).Select(n => ((long)n, 10_000_000L))]);
        await using var second = await JoinAsync(app, idle, "11.8.1.5", ceiling: 50_000_000, used: 0);

        var reply = await app.SearchAsync(Messages.V2Search(Messages.NewPublisherId(), count: 2));

        Assert.Equal(4_000_000, (long?)reply["BOX_SET"]![busy]!["BANDWIDTH-BELIEVED"]);
        Assert.Equal(2_500_000, (long?)reply["BOX_SET"]![idle]!["BANDWIDTH-BELIEVED"]);
        var ranking = reply["RANKING"]!.AsArray();
        Assert.Equal(busy, (string?)ranking[0]!["ID"]);
        Assert.Equal(4_000_000 / 50_000_000.0, (double)ranking[0]!["PARTS"]!["BANDWIDTH"]!, 6);
        Assert.Equal(2_500_000 / 50_000_000.0, (double)ranking[1]!["PARTS"]!["BANDWIDTH"]!, 6);
    }

    [Fact]
    public async Task Boxes_of_one_network_take_at_most_the_cap_of_an_answer_and_version_1_boxes_are_marked()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix(), Settings);
        var sessions = new List<Peer>();
        try
        {
            // Six boxes of one /24 with the best figures, four of other networks with worse ones.
            var crowd = new HashSet<string>();
            for (var i = 0; i < 6; i++)
            {
                var id = Messages.NewBoxId();
                sessions.Add(await JoinAsync(app, id, $"13.1.1.{10 + i}", ceiling: 2_000_000, used: 0));
                crowd.Add(id);
            }
            var others = new HashSet<string>();
            for (var i = 0; i < 4; i++)
            {
                var id = Messages.NewBoxId();
                sessions.Add(await JoinAsync(app, id, $"13.{2 + i}.1.10", ceiling: 2_000_000, used: 1_000_000));
                others.Add(id);
            }
            // An original box from the entrance's own network: no network, not limited, marked version 1.
            var original = Messages.NewBoxId();
            await app.ExchangeOnceAsync(Messages.V1Exchange(original, PublicAddresses.Japan));

            var reply = await app.SearchAsync(Messages.V2Search(Messages.NewPublisherId(), count: 10));

            var ids = reply["RANKING"]!.AsArray().Select(r => (string)r!["ID"]!).ToList();
            Assert.Equal(3, ids.Count(crowd.Contains));
            Assert.Equal(8, ids.Count);
            Assert.Superset(others, ids.Where(others.Contains).ToHashSet());
            Assert.Equal(4, ids.Count(others.Contains));
            Assert.Contains(original, ids);
            Assert.Equal("13.1.1.0/24", (string?)reply["BOX_SET"]![ids[0]]!["NETWORK"]);
            foreach (var ranked in reply["RANKING"]!.AsArray())
                Assert.Equal((string)ranked!["ID"]! == original ? 1 : 2, (int)ranked["VERSION"]!);
        }
        finally
        {
            foreach (var session in sessions)
                await session.DisposeAsync();
        }
    }
}
