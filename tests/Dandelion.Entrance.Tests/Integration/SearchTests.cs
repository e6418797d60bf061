using System.Text.Json.Nodes;
using Dandelion.Entrance.Tests.Support;

namespace Dandelion.Entrance.Tests.Integration;

public sealed class SearchTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    // The entrance trusts a proxy on loopback, so each test peer can arrive "from" a real public address.
    private static readonly Dictionary<string, string?> BehindProxy = new()
    {
        ["Entrance:GeoIp:TrustedProxies:0"] = "127.0.0.1",
        ["Entrance:GeoIp:TrustedProxies:1"] = "::1",
    };

    private static readonly (string Country, string Address)[] World =
    [
        ("DE", PublicAddresses.Germany),
        ("US", PublicAddresses.UnitedStates),
        ("JP", PublicAddresses.Japan),
        ("BR", PublicAddresses.Brazil),
        ("AU", PublicAddresses.Australia),
    ];

    /// <summary>One version 2 box per continent with identical figures, so only distance tells them apart.</summary>
    private static async Task<(Dictionary<string, string> Boxes, List<Peer> Sessions)> PopulateAsync(EntranceApp app)
    {
        var boxes = new Dictionary<string, string>();
        var sessions = new List<Peer>();
        foreach (var (country, address) in World)
        {
            var id = Messages.NewBoxId();
            var box = await Peer.ConnectAsync(app.WebSocket, forwardedFor: address);
            // The reported IP is private and must not matter: the proxy's word wins.
            await box.SendAsync(Messages.V2Exchange(id, 1, ip: "192.168.1.10"));
            var reply = await box.ReceiveAsync();
            Assert.Equal(country, (string?)reply["GEO"]!["COUNTRY"]);
            boxes[country] = id;
            sessions.Add(box);
        }
        return (boxes, sessions);
    }

    [Fact]
    public async Task Ranks_boxes_by_distance_to_the_publisher_found_by_geoip()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix(), BehindProxy);
        var (boxes, sessions) = await PopulateAsync(app);
        try
        {
            var reply = await app.SearchAsync(Messages.V2Search(Messages.NewPublisherId()), forwardedFor: PublicAddresses.Germany);

            var ranking = reply["RANKING"]!.AsArray().Select(r => r!.AsObject()).ToList();
            Assert.Equal(5, ranking.Count);
            Assert.Equal(boxes["DE"], (string?)ranking[0]["ID"]);
            Assert.Equal(boxes["AU"], (string?)ranking[^1]["ID"]);
            var distances = ranking.Select(r => (double)r["DISTANCE_KM"]!).ToList();
            Assert.Equal(distances.Order(), distances);
            Assert.True(distances[0] < 500, "the German box is near a German publisher");
            Assert.True(distances[^1] > 14000, "Australia is on the far side of the world");
            var scores = ranking.Select(r => (double)r["SCORE"]!).ToList();
            Assert.Equal(scores.OrderDescending(), scores);
            foreach (var box in ranking)
            {
                var parts = box["PARTS"]!;
                Assert.InRange((double)parts["DISTANCE"]!, 0, 1);
                Assert.Equal(1.0, (double)parts["BANDWIDTH"]!);
                Assert.Equal(0.9, (double)parts["STORAGE"]!, 6);
                Assert.Equal(1 - 0.52 / 4, (double)parts["LOAD"]!, 6);
                Assert.StartsWith("http://192.168.1.10:17171/", (string?)box["HTTP_URL"]);
            }
            // BOX_SET carries each box's last EXCHANGE and where we placed it.
            var set = reply["BOX_SET"]!.AsObject();
            Assert.Equal(5, set.Count);
            Assert.Equal("JP", (string?)set[boxes["JP"]]!["GEO"]!["COUNTRY"]);
            Assert.Equal(1, (long?)set[boxes["JP"]]!["SEQ"]);
            Assert.False(set[boxes["JP"]]!.AsObject().ContainsKey("TRAFFIC"));
        }
        finally
        {
            foreach (var session in sessions)
                await session.DisposeAsync();
        }
    }

    [Fact]
    public async Task Ranks_by_a_location_the_publisher_gives_and_honours_count_and_exclude()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix(), BehindProxy);
        var (boxes, sessions) = await PopulateAsync(app);
        try
        {
            // Tokyo, asked from Germany.
            var reply = await app.SearchAsync(Messages.V2Search(Messages.NewPublisherId(), count: 2, lat: 35.68, lon: 139.69),
                forwardedFor: PublicAddresses.Germany);
            var ranking = reply["RANKING"]!.AsArray();
            Assert.Equal(2, ranking.Count);
            Assert.Equal(boxes["JP"], (string?)ranking[0]!["ID"]);
            Assert.Equal(2, reply["BOX_SET"]!.AsObject().Count);

            var without = await app.SearchAsync(Messages.V2Search(Messages.NewPublisherId(), count: 1, lat: 35.68, lon: 139.69, exclude: [boxes["JP"]]));
            Assert.NotEqual(boxes["JP"], (string?)without["RANKING"]![0]!["ID"]);
            Assert.False(without["BOX_SET"]!.AsObject().ContainsKey(boxes["JP"]));
        }
        finally
        {
            foreach (var session in sessions)
                await session.DisposeAsync();
        }
    }

    [Fact]
    public async Task Version_1_boxes_reporting_their_ip_from_loopback_are_placed_and_a_version_1_publisher_gets_box_set_only()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix());
        var brazil = Messages.NewBoxId();
        var japan = Messages.NewBoxId();
        await app.ExchangeOnceAsync(Messages.V1Exchange(brazil, PublicAddresses.Brazil));
        await app.ExchangeOnceAsync(Messages.V1Exchange(japan, PublicAddresses.Japan));

        // An original publisher: no VERSION, its public IP reported from loopback.
        var reply = await app.SearchAsync(Messages.V1Search(Messages.NewPublisherId(), PublicAddresses.Japan));
        Assert.Equal("SEARCH", (string?)reply["COMMAND"]);
        Assert.Equal("ENTRANCE", (string?)reply["TYPE"]);
        Assert.False(reply.ContainsKey("RANKING"));
        Assert.False(reply.ContainsKey("VERSION"));
        Assert.Single(reply["ENTRANCE_URLS"]!.AsArray());
        var set = reply["BOX_SET"]!.AsObject();
        Assert.Equal([japan, brazil], set.Select(p => p.Key));  // nearest first
        // Flat values only: an original publisher stores each with one HMSET, and a nested GEO fails it.
        Assert.All(set, box => Assert.All(box.Value!.AsObject(), p => Assert.True(p.Value is JsonValue, $"{p.Key} is not flat")));
        Assert.False(set[brazil]!.AsObject().ContainsKey("GEO"));
        Assert.StartsWith("http://", (string?)reply["ENTRANCE_URLS"]![0]);
        Assert.Equal($"http://{PublicAddresses.Brazil}:17170/dandelion/{brazil}/ws/", (string?)set[brazil]!["CONNECT_WS"]);
    }

    [Fact]
    public async Task Boxes_geoip_cannot_place_still_count_and_a_publisher_may_search_again_on_one_socket()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix(), new Dictionary<string, string?>
        {
            ["Entrance:GeoIp:DefaultLocation:Latitude"] = "50",
            ["Entrance:GeoIp:DefaultLocation:Longitude"] = "8",
            ["Entrance:GeoIp:DefaultLocation:Country"] = "ZZ",
        });
        var unknown = Messages.NewBoxId();
        await app.ExchangeOnceAsync(Messages.V1Exchange(unknown, "10.9.8.7"));

        await using var publisher = await Peer.ConnectAsync(app.WebSocket);
        for (var i = 0; i < 2; i++)
        {
            await publisher.SendAsync(Messages.V2Search(Messages.NewPublisherId()));
            var reply = await publisher.ReceiveAsync();
            var geo = reply["RANKING"]![0]!["GEO"]!;
            Assert.Equal(unknown, (string?)reply["RANKING"]![0]!["ID"]);
            Assert.False((bool?)geo["KNOWN"]);
            Assert.Equal("ZZ", (string?)geo["COUNTRY"]);
            Assert.Equal(50, (double)geo["LAT"]!);
        }
    }

    [Fact]
    public async Task A_drained_box_is_not_offered_and_hears_the_command_on_its_session()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix());
        var boxId = Messages.NewBoxId();
        await using var box = await Peer.ConnectAsync(app.WebSocket);
        await box.SendAsync(Messages.V2Exchange(boxId, 1));
        await box.ReceiveAsync();

        using (var response = await app.Client.PostAsync($"/api/boxes/{boxId}/drain", null))
            Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);

        var command = await box.ReceiveAsync();
        Assert.Equal("DRAIN", (string?)command["COMMAND"]);
        Assert.Equal("ENTRANCE", (string?)command["TYPE"]);
        Assert.Equal(2, (int?)command["VERSION"]);
        Assert.Empty((await app.SearchAsync(Messages.V2Search(Messages.NewPublisherId())))["BOX_SET"]!.AsObject());
        Assert.Equal("DRAINING", (string?)(await app.BoxAsync(boxId))!["box"]!["state"]);

        // The box confirms, then is resumed.
        await box.SendAsync(Messages.V2Exchange(boxId, 2, state: "DRAINING"));
        await box.ReceiveAsync();
        Assert.Empty((await app.SearchAsync(Messages.V2Search(Messages.NewPublisherId())))["BOX_SET"]!.AsObject());
        (await app.Client.PostAsync($"/api/boxes/{boxId}/resume", null)).Dispose();
        Assert.Equal("RESUME", (string?)(await box.ReceiveAsync())["COMMAND"]);
        Assert.Single((await app.SearchAsync(Messages.V2Search(Messages.NewPublisherId())))["BOX_SET"]!.AsObject());

        (await app.Client.PostAsync($"/api/boxes/{boxId}/purge?publisher=publisher-0123456789abcdef0123456789abcdef", null)).Dispose();
        var purge = await box.ReceiveAsync();
        Assert.Equal("PURGE", (string?)purge["COMMAND"]);
        Assert.Equal("publisher-0123456789abcdef0123456789abcdef", (string?)purge["PUBLISHER"]);
    }

    [Fact]
    public async Task Operators_list_boxes_with_filters()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix(), BehindProxy);
        var (boxes, sessions) = await PopulateAsync(app);
        try
        {
            Assert.Equal(5, (await app.BoxesAsync()).Count);
            var us = await app.BoxesAsync("?country=us");
            Assert.Equal(boxes["US"], (string?)Assert.Single(us)!["id"]);
            Assert.Equal(2, (await app.BoxesAsync("?limit=2")).Count);
            Assert.Empty(await app.BoxesAsync("?state=DRAINING"));
            using var bad = await app.Client.GetAsync("/api/boxes?limit=0");
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        }
        finally
        {
            foreach (var session in sessions)
                await session.DisposeAsync();
        }
    }
}
