using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dandelion.Entrance.Geo;
using Dandelion.Entrance.Peers;
using Dandelion.Entrance.Redis;
using Dandelion.Entrance.Sessions;
using Dandelion.Entrance.Tests.Support;
using Dandelion.Entrance.Traffic;
using Dandelion.Shared.Protocol;

namespace Dandelion.Entrance.Tests.Unit;

public sealed class ExchangeRecordTests
{
    private const string Box = "box-0123456789abcdef0123456789abcdef";

    private static InboundMessage Parse(JsonObject message)
    {
        Assert.True(InboundParser.TryParse(Encoding.UTF8.GetBytes(message.ToJsonString()), out var parsed, out var error, out _), error?.Message);
        return parsed!;
    }

    [Fact]
    public void The_stored_box_keeps_what_the_box_sent_without_traffic_or_token_and_with_our_geo()
    {
        var exchange = Messages.V2Exchange(Box, 3, token: "secret-token", traffic: [(1, 10)]);
        exchange[$"{Box}:TRAFFIC_FLOW:log-aa"] = new JsonObject { ["url"] = "/a", ["status"] = "200", ["size"] = "5" };
        exchange["GEO"] = new JsonObject { ["COUNTRY"] = "XX" }; // a box's own claim is not kept
        using var message = Parse(exchange);
        var stored = JsonNode.Parse(StoredBox.From(message.Exchange!, new Placement(new GeoLocation { Known = true, Country = "DE", Latitude = 52, Longitude = 13 }, null), null).ToUtf8())!.AsObject();

        Assert.Equal(Box, (string?)stored["ID"]);
        Assert.Equal("0.52", (string?)stored["LOADAVG-1"]);
        Assert.Equal(10_000_000, (long?)stored["BANDWIDTH-CEILING"]);
        Assert.False(stored.ContainsKey("TRAFFIC"));
        Assert.False(stored.ContainsKey("TOKEN"));
        Assert.DoesNotContain(stored, p => p.Key.Contains(":TRAFFIC_FLOW:", StringComparison.Ordinal));
        Assert.Equal("DE", (string?)stored["GEO"]!["COUNTRY"]);
        Assert.True((bool?)stored["GEO"]!["KNOWN"]);
    }

    [Fact]
    public void The_stored_box_reads_back_as_written_and_anything_else_reads_as_nothing()
    {
        using var message = Parse(Messages.V2Exchange(Box, 7, ceiling: 5_000, used: 1_000));
        var geo = new GeoLocation { Known = false, Country = "ZZ", Latitude = -33.9, Longitude = 18.4 };
        var geoIp = new GeoLocation { Known = true, Country = "DE", Latitude = 52, Longitude = 13, Source = PlaceSources.GeoIp };
        var stated = new StatedLocation { Latitude = -33.9, Longitude = 18.4, City = "Cape Town" };
        var stored = StoredBox.From(message.Exchange!, new Placement(geo, geoIp, stated, Gazetteer.Found), "kitchen");

        var back = StoredBox.Read(stored.ToUtf8());
        Assert.Equal(stored, back);
        Assert.Equal(2, back!.SpokenVersion);
        Assert.Equal("4", back.CpuNum);
        Assert.Equal(1_000, back.BandwidthUsed);
        Assert.Equal(geo, back.Geo);
        Assert.Equal("kitchen", back.Name);
        Assert.Equal(geoIp, back.GeoIp);
        Assert.Equal(stated, back.Location);
        Assert.Equal(Gazetteer.Found, back.LocationNote);

        // Version 1 figures arrive as text and stay text; a version 1 box has no VERSION.
        using var v1 = Parse(Messages.V1Exchange(Box));
        Assert.Equal(1, StoredBox.Read(StoredBox.From(v1.Exchange!, new Placement(geo, null), null).ToUtf8())!.SpokenVersion);

        Assert.Null(StoredBox.Read("not json"u8));
        Assert.Null(StoredBox.Read("""{"GEO":{"LAT":1,"LON":2}}"""u8)); // no ID
        Assert.Null(StoredBox.Read("""{"ID":"x","GEO":{"LAT":1,"LON":2},"SEQ":"soon"}"""u8)); // a number that is not one
    }

    [Fact]
    public void Traffic_entries_of_both_versions_are_read()
    {
        var exchange = Messages.V1Exchange(Box, traffic: [("log-aa", "/a", "100"), ("log-bb", "/b", "oops")]);
        exchange["VERSION"] = 2;
        exchange["TRAFFIC"] = new JsonArray(new JsonObject { ["ID"] = 7, ["SIZE"] = "300" }, new JsonObject { ["ID"] = "8", ["SIZE"] = 1 });
        using var message = Parse(exchange);
        var batch = TrafficBatch.Read(message.Exchange!, message.Root, 1L << 30);
        Assert.Equal([(7L, 300L), (8L, 1L)], batch.Numbered);
        // A size that is not a number counts the request with no bytes.
        Assert.Equal([("log-aa", 100L), ("log-bb", 0L)], batch.Keyed);
    }

    [Fact]
    public void Replies_round_trip_through_the_protocol_types()
    {
        var reply = new ExchangeReply
        {
            Id = "entrance-0123456789abcdef0123456789abcdef", Type = NodeTypes.Entrance, Ip = "203.0.113.1", Port = "8000",
            Command = Commands.Exchange, Message = "ACCEPTED", EntranceUrls = ["ws://203.0.113.1:8000/dandelion/ws/"],
            Version = 2, Sequence = 4, TrafficAck = 9, HeartbeatSeconds = 5, ExpirySeconds = 15,
            Geo = new GeoLocation { Known = true, Country = "DE", Latitude = 52.1, Longitude = 13.2 },
        };
        var bytes = ProtocolJson.Serialize(reply, ProtocolJsonContext.Default.ExchangeReply);
        var node = JsonNode.Parse(bytes)!.AsObject();
        Assert.Equal("ACCEPTED", (string?)node["MESSAGE"]);
        Assert.Equal(9, (long?)node["TRAFFIC_ACK"]);
        Assert.False(node.ContainsKey("GRANT_KEY")); // absent, not null, when auth is off
        var back = JsonSerializer.Deserialize(bytes, ProtocolJsonContext.Default.ExchangeReply);
        Assert.Equal(reply.Geo, back!.Geo);
        Assert.Equal(reply.EntranceUrls, back.EntranceUrls);
        Assert.Equal(reply with { EntranceUrls = back.EntranceUrls }, back);
    }

    [Fact]
    public void A_search_reply_round_trips_with_box_set_in_ranking_order()
    {
        using var box = JsonDocument.Parse($$"""{"ID":"{{Box}}","CONNECT_WS":"ws://198.51.100.1:1/dandelion/{{Box}}/ws/"}""");
        var reply = new SearchReply
        {
            Id = "entrance-0123456789abcdef0123456789abcdef", Type = NodeTypes.Entrance, Ip = "203.0.113.1", Port = "8000",
            Command = Commands.Search, EntranceUrls = ["ws://203.0.113.1:8000/dandelion/ws/"], Version = 2, Grants = new Dictionary<string, string> { [Box] = "g" },
            BoxSet = new Dictionary<string, JsonElement> { [Box] = box.RootElement },
            Ranking = [new RankedBox { Id = Box, Score = 0.75, DistanceKm = 12.5, Parts = new ScoreParts { Distance = 1, Bandwidth = 0.5, Storage = 0.5, Load = 1 } }],
        };
        var bytes = ProtocolJson.Serialize(reply, ProtocolJsonContext.Default.SearchReply);
        var back = JsonSerializer.Deserialize(bytes, ProtocolJsonContext.Default.SearchReply)!;
        Assert.Equal("ws://198.51.100.1:1/dandelion/" + Box + "/ws/", back.BoxSet![Box].GetProperty("CONNECT_WS").GetString());
        Assert.Equal(reply.Ranking[0].Parts, back.Ranking![0].Parts);
        Assert.Equal(0.75, back.Ranking[0].Score);
        Assert.Equal("g", back.Grants![Box]);
    }

    [Fact]
    public void Error_replies_and_box_commands_carry_the_entrance_identity()
    {
        var error = JsonNode.Parse(ProtocolJson.Serialize(new ErrorReply
        {
            Id = "entrance-0123456789abcdef0123456789abcdef", Type = NodeTypes.Entrance, Ip = "203.0.113.1", Port = "8000",
            Command = "EXCHANGE", Error = ProtocolError.MissingField("IP").Message, Code = ProtocolErrorCodes.MissingField,
        }, ProtocolJsonContext.Default.ErrorReply))!.AsObject();
        Assert.Equal(["CODE", "COMMAND", "ERROR", "ID", "IP", "PORT", "TYPE"], error.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("Wrong format in your message. IP is missing or empty.", (string?)error["ERROR"]);

        var command = JsonSerializer.Deserialize(ProtocolJson.Serialize(new BoxCommand { Command = Commands.Purge, Publisher = "publisher-x", Version = 2 },
            ProtocolJsonContext.Default.BoxCommand), ProtocolJsonContext.Default.BoxCommand)!;
        Assert.Equal(Commands.Purge, command.Command);
        Assert.Equal("publisher-x", command.Publisher);
    }
}
