using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dandelion.Entrance.Geo;
using Dandelion.Entrance.Tests.Support;
using Dandelion.Shared.Protocol;

namespace Dandelion.Entrance.Tests.Integration;

/// <summary>
/// A box whose owner states a city and no coordinates, against the real gazetteer scripts/setup.sh
/// fetches (found beside the GeoLite2 database): placed there, or not placed by it, and saying why.
/// </summary>
public sealed class StatedCityTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Theory]
    // The gazetteer's Lyon is at 45.749° N 4.848° E; the loopback address GeoIP cannot place.
    [InlineData("Lyon", "FR")]
    // Case and diacritics do not matter, nor does a country left out when the name is unique.
    [InlineData("  lyón ", null)]
    public async Task A_box_stating_only_a_city_is_placed_there_by_its_owners_word(string city, string? country)
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix());
        var (box, reply) = await ExchangeAsync(app, new JsonObject { ["CITY"] = city, ["COUNTRY"] = country });
        await using var _ = box;
        Assert.Equal(PlaceSources.Stated, (string?)reply["GEO"]!["SOURCE"]);
        Assert.Equal(45.749, (double)reply["GEO"]!["LAT"]!, 0.01);
        Assert.Equal(4.848, (double)reply["GEO"]!["LON"]!, 0.01);
        Assert.Equal("FR", (string?)reply["GEO"]!["COUNTRY"]);

        var place = (await PlaceAsync(app))!;
        Assert.Equal("stated", (string?)place["source"]);
        Assert.Equal(45.749, (double)place["latitude"]!, 0.01);
        Assert.Equal(city.Trim(), (string?)place["city"]);
        Assert.Equal(Gazetteer.Found, (string?)place["statedNote"]);
        Assert.Equal(45.749, (double)place["stated"]!["LAT"]!, 0.01);
        Assert.False((bool)place["geoIp"]!["KNOWN"]!);
    }

    [Theory]
    // No such city: GeoIP (here the default, for loopback) stands and the note says why.
    [InlineData("Atlantis", "FR", Gazetteer.Unknown)]
    // Lyon is in France, not Germany: the country narrows to nothing.
    [InlineData("Lyon", "DE", Gazetteer.Unknown)]
    // Several Springfields in the US and no population to choose one: nothing is guessed.
    [InlineData("Springfield", "US", Gazetteer.Ambiguous)]
    public async Task A_city_the_gazetteer_cannot_place_falls_back_to_GeoIP_and_says_so(string city, string country, string note)
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix());
        var (box, reply) = await ExchangeAsync(app, new JsonObject { ["CITY"] = city, ["COUNTRY"] = country });
        await using var _ = box;
        Assert.Equal(PlaceSources.Default, (string?)reply["GEO"]!["SOURCE"]);

        var place = (await PlaceAsync(app))!;
        Assert.Equal("default", (string?)place["source"]);
        Assert.Equal(note, (string?)place["statedNote"]);
        Assert.Equal(city, (string?)place["stated"]!["CITY"]);
        Assert.Null(place["stated"]!["LAT"]);
    }

    [Fact]
    public async Task A_hostile_city_name_is_not_looked_up_nor_kept_whole_and_the_entrance_serves_on()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix());
        // 10 KB of a known name with control characters between: neither looked up nor stored as sent.
        var hostile = string.Concat(Enumerable.Repeat("Lyon\u0000\u001b[2J\n", 1000));
        var (box, reply) = await ExchangeAsync(app, new JsonObject { ["CITY"] = hostile, ["COUNTRY"] = "FR\u0007" });
        await using var _ = box;
        Assert.Equal(PlaceSources.Default, (string?)reply["GEO"]!["SOURCE"]);

        var place = (await PlaceAsync(app))!;
        Assert.Equal(Gazetteer.Refused, (string?)place["statedNote"]);
        var kept = (string)place["stated"]!["CITY"]!;
        Assert.True(kept.Length <= 64 && !kept.Any(char.IsControl), "the stated city is kept cleaned and bounded");
        Assert.Null(place["stated"]!["COUNTRY"]);

        // The next box on the same entrance is placed by its city as usual.
        var (nextBox, next) = await ExchangeAsync(app, new JsonObject { ["CITY"] = "Lyon", ["COUNTRY"] = "FR" });
        await using var __ = nextBox;
        Assert.Equal(PlaceSources.Stated, (string?)next["GEO"]!["SOURCE"]);
    }

    /// <summary>A box's first EXCHANGE from loopback with <paramref name="location"/>; the box stays connected (and listed) until disposed.</summary>
    private static async Task<(Peer Box, JsonObject Reply)> ExchangeAsync(EntranceApp app, JsonObject location)
    {
        var box = await Peer.ConnectAsync(app.WebSocket);
        var exchange = Messages.V2Exchange(Messages.NewBoxId(), 1, ip: "127.0.0.1");
        exchange["LOCATION"] = location;
        await box.SendAsync(exchange);
        return (box, await box.ReceiveAsync());
    }

    private static async Task<JsonNode?> PlaceAsync(EntranceApp app)
    {
        var network = (await app.Client.GetFromJsonAsync<JsonObject>("/api/network"))!;
        return network["boxes"]!.AsArray().First()!["place"];
    }
}
