using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dandelion.Entrance.History;
using Dandelion.Entrance.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Dandelion.Entrance.Tests.Integration;

/// <summary>What the dashboard's answers say about boxes and publishers: names, places and how they were decided, why each gets its traffic, why each left, and the charts.</summary>
public sealed class NetworkViewTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static JsonObject Berlin => new() { ["LAT"] = 52.52, ["LON"] = 13.405, ["CITY"] = "Berlin", ["COUNTRY"] = "DE" };

    [Theory]
    // A private address GeoIP cannot place: the owner's word is used.
    [InlineData("127.0.0.1", "stated", true)]
    // Reported from Hanover, ~250 km from Berlin: within the 300 km tolerance, GeoIP stands.
    [InlineData(PublicAddresses.Germany, "reported", false)]
    // Reported from the United States: farther than the tolerance, the owner's word is used, GeoIP's shown beside it.
    [InlineData(PublicAddresses.UnitedStates, "stated", true)]
    public async Task A_box_is_named_and_placed_by_GeoIP_or_its_owners_word_and_says_which(string ip, string source, bool statedUsed)
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix());
        var boxId = Messages.NewBoxId();
        await using var box = await Peer.ConnectAsync(app.WebSocket);
        var exchange = Messages.V2Exchange(boxId, 1, ip: ip);
        exchange["NAME"] = "kitchen\u0007 shelf";
        exchange["LOCATION"] = Berlin;
        await box.SendAsync(exchange);
        var reply = await box.ReceiveAsync();
        Assert.Equal(source, (string?)reply["GEO"]!["SOURCE"]);

        var shown = (await NetworkAsync(app))["boxes"]!.AsArray().Single()!;
        Assert.Equal("kitchen shelf", (string?)shown["name"]);
        var place = shown["place"]!;
        Assert.Equal(source, (string?)place["source"]);
        Assert.Equal(52.52, (double?)place["stated"]!["LAT"]);
        if (statedUsed)
        {
            Assert.Equal(52.52, (double?)place["latitude"]);
            Assert.Equal("Berlin", (string?)place["city"]);
            Assert.NotNull(place["geoIp"]);
        }
        else
        {
            Assert.NotEqual(52.52, (double?)place["latitude"]);
            Assert.Null(place["geoIp"]);
        }
        Assert.Equal("not-searched", (string?)shown["traffic"]!["kind"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)shown["traffic"]!["sentence"]));
    }

    [Fact]
    public async Task Searches_are_kept_per_box_and_publishers_with_their_streams_are_shown()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix());
        var near = Messages.NewBoxId();
        var far = Messages.NewBoxId();
        await using var nearBox = await Peer.ConnectAsync(app.WebSocket);
        await nearBox.SendAsync(Messages.V2Exchange(near, 1, ip: PublicAddresses.Germany, traffic: [(1, 500)]));
        await nearBox.ReceiveAsync();
        await using var farBox = await Peer.ConnectAsync(app.WebSocket);
        await farBox.SendAsync(Messages.V2Exchange(far, 1, ip: PublicAddresses.Australia));
        await farBox.ReceiveAsync();

        var publisherId = Messages.NewPublisherId();
        var search = Messages.V2Search(publisherId, count: 1, lat: 52.5, lon: 13.4);
        search["NAME"] = "studio";
        search["STREAMS"] = new JsonArray(new JsonObject { ["NAME"] = "live", ["ORIGIN_BYTES"] = 100, ["BOX_BYTES"] = 900 });
        await app.SearchAsync(search);

        var network = await Eventually.MatchAsync(() => NetworkAsync(app),
            n => n["publishers"]!.AsArray().Count == 1 && n["boxes"]!.AsArray().All(b => (long?)b!["searches"]!["seen"] == 1),
            "the search and its publisher recorded");
        var boxes = network["boxes"]!.AsArray().ToDictionary(b => (string)b!["id"]!);
        Assert.Equal(1, (long?)boxes[near]!["searches"]!["chosen"]);
        Assert.Equal("serving", (string?)boxes[near]!["traffic"]!["kind"]);
        Assert.Equal(0, (long?)boxes[far]!["searches"]!["chosen"]);
        Assert.Equal(2, (int?)boxes[far]!["searches"]!["last"]!["RANK"]);
        Assert.Equal("far", (string?)boxes[far]!["traffic"]!["kind"]);
        Assert.Contains("km", (string?)boxes[far]!["traffic"]!["sentence"]);

        var publisher = network["publishers"]!.AsArray().Single()!;
        Assert.Equal("studio", (string?)publisher["NAME"]);
        Assert.Equal(900, (long?)publisher["STREAMS"]![0]!["BOX_BYTES"]);
        Assert.Equal(0.9, (double?)network["offload"]!["share"]);
        // The totals since the start count departed boxes too; the live ones are apart.
        Assert.Equal(500, (long?)network["liveTotals"]!["bytesServed"]);
    }

    [Fact]
    public async Task Every_SEARCH_a_box_was_a_candidate_in_is_counted_once_however_many_come_between_writes()
    {
        // The test's boxes send one EXCHANGE each: long enough a heartbeat that they stay live throughout.
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix(), new Dictionary<string, string?>
        {
            ["Entrance:Heartbeat"] = "00:01:00",
            ["Entrance:Expiry"] = "00:03:00",
            ["Entrance:IdleTimeout"] = "00:05:00",
        });
        var boxIds = new[] { Messages.NewBoxId(), Messages.NewBoxId(), Messages.NewBoxId() };
        var peers = new List<Peer>();
        foreach (var id in boxIds)
        {
            var peer = await Peer.ConnectAsync(app.WebSocket);
            peers.Add(peer);
            await peer.SendAsync(Messages.V2Exchange(id, 1, ip: PublicAddresses.Germany));
            await peer.ReceiveAsync();
        }

        // 40 SEARCHes, 4 at a time, each for two boxes: all three are candidates (runners-up are kept too), two chosen.
        const int searches = 40;
        await Parallel.ForEachAsync(Enumerable.Range(0, searches), new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (_, _) => await app.SearchAsync(Messages.V2Search(Messages.NewPublisherId(), count: 2, lat: 52.5, lon: 13.4)));

        var network = await Eventually.MatchAsync(() => NetworkAsync(app),
            n => n["boxes"]!.AsArray().Count == boxIds.Length && n["boxes"]!.AsArray().All(b => (long?)b!["searches"]!["seen"] == searches),
            "every SEARCH counted for every box");
        Assert.Equal(2 * searches, network["boxes"]!.AsArray().Sum(b => (long)b!["searches"]!["chosen"]!));
        foreach (var peer in peers)
            await peer.DisposeAsync();
    }

    [Fact]
    public async Task Each_departure_is_recorded_with_its_real_reason_and_a_box_back_is_marked_returned()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix(), new Dictionary<string, string?>
        {
            ["Entrance:Expiry"] = "00:00:02",
        });
        var lost = Messages.NewBoxId();
        var drained = Messages.NewBoxId();
        var frozen = Messages.NewBoxId();
        var crashing = await Peer.ConnectAsync(app.WebSocket);
        await crashing.SendAsync(Messages.V2Exchange(lost, 1));
        await crashing.ReceiveAsync();
        await using var draining = await Peer.ConnectAsync(app.WebSocket);
        await draining.SendAsync(Messages.V2Exchange(drained, 1, state: "DRAINING"));
        await draining.ReceiveAsync();
        await using var silent = await Peer.ConnectAsync(app.WebSocket);
        await silent.SendAsync(Messages.V2Exchange(frozen, 1));
        await silent.ReceiveAsync();

        crashing.Abort();
        await crashing.DisposeAsync();
        await draining.CloseAsync();
        // The silent box says nothing past its expiry: the sweep records it expired.
        var network = await Eventually.MatchAsync(() => NetworkAsync(app), n => n["gone"]!.AsArray().Count == 3, "three boxes gone");
        var gone = network["gone"]!.AsArray().ToDictionary(g => (string)g!["ID"]!);
        Assert.Equal("lost", (string?)gone[lost]!["REASON"]);
        Assert.Contains("crashed", (string?)gone[lost]!["WHY"]);
        Assert.Equal("drained", (string?)gone[drained]!["REASON"]);
        Assert.Equal("expired", (string?)gone[frozen]!["REASON"]);
        Assert.False((bool?)gone[frozen]!["RETURNED"]);

        // Back from its freeze, on the same session: live again, and marked returned.
        await silent.SendAsync(Messages.V2Exchange(frozen, 2));
        await silent.ReceiveAsync();
        var back = await NetworkAsync(app);
        Assert.Contains(back["boxes"]!.AsArray(), b => (string?)b!["id"] == frozen);
        Assert.True((bool?)back["gone"]!.AsArray().Single(g => (string?)g!["ID"] == frozen)!["RETURNED"]);
    }

    [Fact]
    public async Task The_history_has_points_for_boxes_live_and_exchanges()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix());
        await using var box = await Peer.ConnectAsync(app.WebSocket);
        await box.SendAsync(Messages.V2Exchange(Messages.NewBoxId(), 1, traffic: [(1, 10_000)]));
        await box.ReceiveAsync();
        await app.Services.GetRequiredService<HistoryRecorder>().FlushAsync();

        // The slot being filled is left out, so the point shows once its 10 s are over.
        var history = await Eventually.MatchAsync(
            async () => (await app.Client.GetFromJsonAsync<JsonObject>("/api/history"))!,
            h => h["boxesLive"]!.AsArray().Any(v => v is not null), "a point in the history", TimeSpan.FromSeconds(30));
        var at = history["boxesLive"]!.AsArray().Select((v, i) => (v, i)).Last(p => p.v is not null).i;
        Assert.Equal(history["time"]!.AsArray().Count, history["boxesLive"]!.AsArray().Count);
        Assert.Equal(1, (long?)history["boxesLive"]![at]);
        Assert.Equal(0.1, (double?)history["exchangesPerSecond"]![at]);
        Assert.Equal(1_000, (double?)history["boxBytesPerSecond"]![at]);
    }

    private static async Task<JsonObject> NetworkAsync(EntranceApp app) =>
        (await app.Client.GetFromJsonAsync<JsonObject>("/api/network"))!;
}
