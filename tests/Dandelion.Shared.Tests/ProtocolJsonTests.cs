using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Dandelion.Shared.Protocol;

namespace Dandelion.Shared.Tests;

/// <summary>Every message through <see cref="ProtocolJson"/>, and the exact shapes the original sends.</summary>
public sealed class ProtocolJsonTests
{
    private const string BoxId = "box-0123456789abcdef0123456789abcdef";
    private const string PublisherId = "publisher-fedcba9876543210fedcba9876543210";
    private const string EntranceId = "entrance-00112233445566778899aabbccddeeff";

    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    private static readonly GeoLocation Geo = new()
    {
        Known = true, Country = "NL", City = "Amsterdam", Region = "NH", Latitude = 52.37, Longitude = 4.89, Organization = "Example ISP",
        Source = PlaceSources.Stated,
    };

    private static readonly ScoreParts Parts = new() { Distance = 0.9, Bandwidth = 0.5, Storage = 0.25, Load = 0.75 };

    private static JsonElement Element(string json) => JsonDocument.Parse(json).RootElement.Clone();

    // One sample per message type with every property set, so a property that does not
    // survive the trip (no setter, wrong name, wrong converter) fails its row.
    public static TheoryData<string> MessageTypes => new(MessageTypeNames);

    private static readonly string[] MessageTypeNames =
    [
        nameof(MessageHead), nameof(ErrorReply), nameof(ExchangeRequest), nameof(ExchangeReply),
        nameof(BoxCommand), nameof(SearchRequest), nameof(SearchReply), nameof(PublishRequest),
        nameof(PublishReply), nameof(FileHeader), nameof(FileResult), nameof(FilesRemoved), nameof(TrafficEntry),
        nameof(TrafficEntryV1), nameof(GeoLocation),
    ];

    [Theory]
    [MemberData(nameof(MessageTypes))]
    public void Every_message_type_round_trips_with_every_field(string type)
    {
        switch (type)
        {
            case nameof(MessageHead):
                RoundTrip(Head(new MessageHead()), Json.MessageHead);
                break;
            case nameof(ErrorReply):
                RoundTrip(Head(new ErrorReply { Error = ProtocolError.WrongFormat + " ID is missing or empty.", Code = ProtocolErrorCodes.MissingField }), Json.ErrorReply);
                break;
            case nameof(ExchangeRequest):
                RoundTrip(Head(new ExchangeRequest
                {
                    ConnectWs = $"ws://203.0.113.7:17170/dandelion/{BoxId}/ws/",
                    CpuHz = "2400.000", CpuNum = "4", CpuUser = "3.5", CpuSystem = "1.25", CpuNice = "0.0", CpuIdle = "95.0",
                    CpuIoWait = "0.1", CpuIrq = "0.0", CpuSoftIrq = "0.2", LoadAverage1 = "0.52", LoadAverage5 = "0.4",
                    LoadAverage15 = "0.3", MemoryTotal = "8000000", MemoryAvailable = "4000000", DiskTotal = "500000000",
                    DiskAvailable = "250000000", HttpUrl = "http://203.0.113.7:8081/", StorageQuota = 10_000_000_000,
                    StorageUsed = 1234, Files = 7, BandwidthCeiling = 2_500_000, BandwidthUsed = 1_000, State = "ACTIVE",
                    Sequence = 42, Name = "kitchen shelf",
                    Location = new StatedLocation { Latitude = 52.52, Longitude = 13.405, City = "Berlin", Country = "DE" },
                    Traffic = [new TrafficEntry { Id = 9, Url = "/p/a.ts", Status = 200, Size = 512, DateTime = "27/Sep/2017:03:20:10 +0000" }],
                    Extra = new() { [$"{BoxId}:TRAFFIC_FLOW:log-aa"] = Element("""{"url":"/p/a.ts","status":"200","size":"512"}""") },
                }), Json.ExchangeRequest);
                break;
            case nameof(ExchangeReply):
                RoundTrip(Head(new ExchangeReply
                {
                    EntranceUrls = ["ws://198.51.100.1:8000/dandelion/ws/", "ws://198.51.100.2:8000/dandelion/ws/"],
                    Message = "ACCEPTED", Sequence = 42, TrafficAck = 9, Geo = Geo, HeartbeatSeconds = 5, ExpirySeconds = 120,
                    GrantKey = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE",
                }), Json.ExchangeReply);
                break;
            case nameof(BoxCommand):
                RoundTrip(Head(new BoxCommand { Publisher = PublisherId }), Json.BoxCommand);
                break;
            case nameof(SearchRequest):
                RoundTrip(Head(new SearchRequest
                {
                    Count = 20, Location = new GeoPoint { Latitude = -33.9, Longitude = 151.2 }, Exclude = [BoxId], Name = "studio",
                    Streams = [new StreamReport { Name = "live", OriginBytes = 100, BoxBytes = 900, OriginRequests = 1, BoxRequests = 9, RedirectBytes = 950, RedirectRequests = 10 }],
                    Served = true, Distrusted = [BoxId], UrlKey = "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU",
                }), Json.SearchRequest);
                break;
            case nameof(SearchReply):
                RoundTrip(Head(new SearchReply
                {
                    BoxSet = new Dictionary<string, JsonElement> { [BoxId] = Element("""{"ID":"box-x","PORT":"17170"}""") },
                    EntranceUrls = ["ws://198.51.100.1:8000/dandelion/ws/"],
                    Ranking = [new RankedBox { Id = BoxId, ConnectWs = "ws://x/", HttpUrl = "http://x/", Score = 0.7, DistanceKm = 12.5, Parts = Parts, Geo = Geo, Name = "kitchen shelf" }],
                    Grants = new Dictionary<string, string> { [BoxId] = "publisher-x.box-x.1700000000.c2ln" },
                    Served = [new ServedReport { Path = "/live/seg-1.ts", Bytes = 1234, Requests = 2 }],
                }), Json.SearchReply);
                break;
            case nameof(PublishRequest):
                RoundTrip(Head(new PublishRequest { Grant = "publisher-x.1700000000.c2ln", UrlKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8" }), Json.PublishRequest);
                break;
            case nameof(PublishReply):
                RoundTrip(Head(new PublishReply { Message = "ACCEPTED", MaxFileSize = 64 << 20, HttpUrl = "http://203.0.113.7:8081/" }), Json.PublishReply);
                break;
            case nameof(FileHeader):
                RoundTrip(new FileHeader { FilePath = "/live/seg-1.ts", Ttl = "60", Size = 1234, Sha256 = new string('a', 64), Extra = new() { ["STREAM"] = Element("\"live\"") } }, Json.FileHeader);
                break;
            case nameof(FileResult):
                RoundTrip(Head(new FileResult { FilePath = "/live/seg-1.ts", Sha256 = new string('b', 64), Size = 1234, Url = "http://x/p/live/seg-1.ts", Error = "too big", Code = ProtocolErrorCodes.TooBig, Ttl = 60 }), Json.FileResult);
                break;
            case nameof(FilesRemoved):
                RoundTrip(Head(new FilesRemoved { FilePaths = ["/live/seg-1.ts", "/live/seg-2.ts"] }), Json.FilesRemoved);
                break;
            case nameof(TrafficEntry):
                RoundTrip(new TrafficEntry { Id = long.MaxValue, Url = "/p/a.ts", Status = 206, Size = 1L << 40, DateTime = "27/Sep/2017:03:20:10 +0000" }, Json.TrafficEntry);
                break;
            case nameof(TrafficEntryV1):
                RoundTrip(new TrafficEntryV1 { Url = "/p/a.ts", Status = "200", Size = "512", DateTime = "27/Sep/2017:03:20:10" }, Json.TrafficEntryV1);
                break;
            case nameof(GeoLocation):
                RoundTrip(Geo, Json.GeoLocation);
                break;
            default:
                Assert.Fail($"no sample for {type}");
                break;
        }
    }

    [Fact]
    public void Every_type_registered_in_the_context_has_a_round_trip_row()
    {
        var covered = MessageTypeNames.ToHashSet();
        var registered = typeof(ProtocolJsonContext).GetCustomAttributesData()
            .Where(a => a.AttributeType == typeof(JsonSerializableAttribute))
            .Select(a => ((Type)a.ConstructorArguments[0].Value!).Name)
            .ToList();

        Assert.NotEmpty(registered);
        Assert.All(registered, name => Assert.Contains(name, covered));
    }

    // A version 1 box's heartbeat as the original sends it: every value a string (it comes
    // out of a Redis hash), two traffic entries as extra top-level keys.
    private const string Version1Exchange = """
        {"ID": "box-0123456789abcdef0123456789abcdef", "IP": "203.0.113.7", "PORT": "17170", "TYPE": "BOX",
         "COMMAND": "EXCHANGE", "CONNECT_WS": "https://203.0.113.7:17170/dandelion/box-0123456789abcdef0123456789abcdef/ws/",
         "CPU-HZ": "2400.000", "CPU-NUM": "4", "CPU-USR": "3.2", "CPU-SYS": "1.1", "CPU-NIC": "0.0", "CPU-IDLE": "95.1",
         "CPU-IO": "0.4", "CPU-IRQ": "0.0", "CPU-SIRQ": "0.2", "LOADAVG-1": "0.52", "LOADAVG-5": "0.41", "LOADAVG-15": "0.30",
         "MEM-TOTAL": "8167272", "MEM-AVAIL": "4083636", "DISK-TOTAL": "491173888", "DISK-AVAIL": "245586944",
         "box-0123456789abcdef0123456789abcdef:TRAFFIC_FLOW:log-9f86d081884c7d659a2feaa0c55ad015":
             {"url": "/publisher-fedcba9876543210fedcba9876543210/live/seg-1.ts", "status": "200", "size": "188000"},
         "box-0123456789abcdef0123456789abcdef:TRAFFIC_FLOW:log-3e23e8160039594a33894f6564e1b134":
             {"url": "/publisher-fedcba9876543210fedcba9876543210/live/seg-2.ts", "status": "206", "size": "4096"}}
        """;

    [Fact]
    public void Version1_exchange_with_string_values_parses_and_keeps_traffic_in_extra()
    {
        Assert.True(ProtocolJson.TryParse(Encoding.UTF8.GetBytes(Version1Exchange), Json.ExchangeRequest, out var exchange, out var error), error?.Message);

        Assert.Null(MessageValidation.Validate(exchange));
        Assert.Equal(ProtocolVersion.V1, exchange.SpokenVersion);
        Assert.Equal(BoxId, exchange.Id);
        Assert.Equal("17170", exchange.Port);
        Assert.Equal(17170, exchange.PortNumber);
        Assert.Equal(NodeTypes.Box, exchange.Type);
        Assert.Equal(Commands.Exchange, exchange.Command);
        Assert.Equal($"https://203.0.113.7:17170/dandelion/{BoxId}/ws/", exchange.ConnectWs);
        Assert.Equal(new string?[] {"2400.000", "4", "3.2", "1.1", "0.0", "95.1", "0.4", "0.0", "0.2", "0.52", "0.41", "0.30", "8167272", "4083636", "491173888", "245586944" },
            new[] { exchange.CpuHz, exchange.CpuNum, exchange.CpuUser, exchange.CpuSystem, exchange.CpuNice, exchange.CpuIdle, exchange.CpuIoWait,
             exchange.CpuIrq, exchange.CpuSoftIrq, exchange.LoadAverage1, exchange.LoadAverage5, exchange.LoadAverage15,
             exchange.MemoryTotal, exchange.MemoryAvailable, exchange.DiskTotal, exchange.DiskAvailable });
        Assert.Null(exchange.Traffic);

        Assert.NotNull(exchange.Extra);
        Assert.Equal(
            [$"{BoxId}:TRAFFIC_FLOW:log-3e23e8160039594a33894f6564e1b134", $"{BoxId}:TRAFFIC_FLOW:log-9f86d081884c7d659a2feaa0c55ad015"],
            exchange.Extra.Keys.Order(StringComparer.Ordinal));
        var first = exchange.Extra[$"{BoxId}:TRAFFIC_FLOW:log-9f86d081884c7d659a2feaa0c55ad015"].Deserialize(Json.TrafficEntryV1)!;
        Assert.Equal(new TrafficEntryV1 { Url = $"/{PublisherId}/live/seg-1.ts", Status = "200", Size = "188000" }, first);
        var second = exchange.Extra[$"{BoxId}:TRAFFIC_FLOW:log-3e23e8160039594a33894f6564e1b134"].Deserialize(Json.TrafficEntryV1)!;
        Assert.Equal(new TrafficEntryV1 { Url = $"/{PublisherId}/live/seg-2.ts", Status = "206", Size = "4096" }, second);
    }

    [Fact]
    public void Exchange_with_an_escaped_lone_surrogate_in_a_key_it_keeps_as_extra_is_bad_json()
    {
        var json = "{\"ID\":\"box-0123456789abcdef0123456789abcdef\",\"COMMAND\":\"EXCHANGE\",\"TYPE\":\"BOX\",\"/a\":{\"SIZE\":\"\\udfff\"}}";

        Assert.False(ProtocolJson.TryParse(Encoding.UTF8.GetBytes(json), Json.ExchangeRequest, out var exchange, out var error));
        Assert.Null(exchange);
        Assert.Equal(ProtocolErrorCodes.BadJson, error!.Code);
    }

    [Fact]
    public void Version1_exchange_is_written_back_with_its_traffic_keys_at_the_top_level()
    {
        Assert.True(ProtocolJson.TryParse(Encoding.UTF8.GetBytes(Version1Exchange), Json.ExchangeRequest, out var exchange, out _));

        using var written = JsonDocument.Parse(ProtocolJson.Serialize(exchange, Json.ExchangeRequest));

        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(Version1Exchange).RootElement, written.RootElement),
            written.RootElement.GetRawText());
    }

    [Theory]
    // Out of a Redis hash: a string.
    [InlineData("\"17170\"")]
    // Built in memory: a number.
    [InlineData("17170")]
    public void Port_as_string_or_number_is_the_same_port(string port)
    {
        var json = $$"""{"ID":"{{PublisherId}}","IP":"198.51.100.9","PORT":{{port}},"TYPE":"BOX","COMMAND":"PUBLISH","MESSAGE":"ACCEPTED"}""";

        Assert.True(ProtocolJson.TryParse(Encoding.UTF8.GetBytes(json), Json.PublishReply, out var reply, out var error), error?.Message);

        Assert.Equal("17170", reply.Port);
        Assert.Equal(17170, reply.PortNumber);
    }

    [Fact]
    public void Version1_search_reply_with_box_set_parses_and_each_box_reads_as_an_exchange()
    {
        var json = $$"""
            {"ID": "{{EntranceId}}", "TYPE": "ENTRANCE", "IP": "198.51.100.1", "PORT": 8000, "COMMAND": "SEARCH",
             "BOX_SET": {"{{BoxId}}": {"ID": "{{BoxId}}", "IP": "203.0.113.7", "PORT": "17170", "TYPE": "BOX", "COMMAND": "EXCHANGE",
                                    "CONNECT_WS": "https://203.0.113.7:17170/dandelion/{{BoxId}}/ws/", "CPU-NUM": "4", "LOADAVG-1": "0.52"} } }
            """;

        Assert.True(ProtocolJson.TryParse(Encoding.UTF8.GetBytes(json), Json.SearchReply, out var reply, out var error), error?.Message);

        Assert.Null(MessageValidation.Validate(reply));
        Assert.Equal("8000", reply.Port);
        Assert.Null(reply.Ranking);
        var (id, box) = Assert.Single(reply.BoxSet!);
        Assert.Equal(BoxId, id);
        var exchange = box.Deserialize(Json.ExchangeRequest)!;
        Assert.Equal($"https://203.0.113.7:17170/dandelion/{BoxId}/ws/", exchange.ConnectWs);
        Assert.Equal("0.52", exchange.LoadAverage1);
    }

    [Fact]
    public void Version1_search_request_from_a_publisher_needs_no_port()
    {
        var json = $$"""{"ID": "{{PublisherId}}", "IP": "198.51.100.9", "TYPE": "PUBLISHER", "COMMAND": "SEARCH"}""";

        Assert.True(ProtocolJson.TryParse(Encoding.UTF8.GetBytes(json), Json.SearchRequest, out var request, out var error), error?.Message);

        Assert.Null(MessageValidation.Validate(request));
        Assert.Null(request.Port);
        Assert.Null(request.Count);
        Assert.Equal(ProtocolVersion.V1, request.SpokenVersion);
    }

    [Fact]
    public void Version1_publish_and_accepted_parse()
    {
        var publish = $$"""{"ID": "{{PublisherId}}", "IP": "198.51.100.9", "TYPE": "PUBLISHER", "COMMAND": "PUBLISH"}""";
        var accepted = $$"""{"ID": "{{BoxId}}", "IP": "203.0.113.7", "PORT": 17170, "TYPE": "BOX", "MESSAGE": "ACCEPTED", "COMMAND": "PUBLISH"}""";

        Assert.True(ProtocolJson.TryParse(Encoding.UTF8.GetBytes(publish), Json.PublishRequest, out var request, out var error), error?.Message);
        Assert.True(ProtocolJson.TryParse(Encoding.UTF8.GetBytes(accepted), Json.PublishReply, out var reply, out error), error?.Message);

        Assert.Null(MessageValidation.Validate(request));
        Assert.Equal((PublisherId, NodeTypes.Publisher, Commands.Publish, (string?)null), (request.Id, request.Type, request.Command, request.Grant));
        Assert.Null(MessageValidation.Validate(reply));
        Assert.Equal((BoxId, "17170", "ACCEPTED", Commands.Publish), (reply.Id, reply.Port, reply.Message, reply.Command));
    }

    [Fact]
    public void Version1_exchange_reply_from_an_entrance_parses()
    {
        var json = $$"""
            {"ID": "{{EntranceId}}", "TYPE": "ENTRANCE", "IP": "198.51.100.1", "PORT": "8000",
             "ENTRANCE_URLS": ["ws://198.51.100.1:8000/dandelion/ws/", "ws://198.51.100.2:8000/dandelion/ws/"],
             "MESSAGE": "ACCEPTED", "COMMAND": "EXCHANGE"}
            """;

        Assert.True(ProtocolJson.TryParse(Encoding.UTF8.GetBytes(json), Json.ExchangeReply, out var reply, out var error), error?.Message);

        Assert.Null(MessageValidation.Validate(reply));
        Assert.Equal(["ws://198.51.100.1:8000/dandelion/ws/", "ws://198.51.100.2:8000/dandelion/ws/"], reply.EntranceUrls);
        Assert.Equal("ACCEPTED", reply.Message);
        Assert.Null(reply.Geo);
    }

    [Fact]
    public void Keys_without_a_value_are_left_out_when_writing()
    {
        var message = new PublishRequest { Id = PublisherId, Ip = "198.51.100.9", Type = NodeTypes.Publisher, Command = Commands.Publish };

        using var written = JsonDocument.Parse(ProtocolJson.Serialize(message, Json.PublishRequest));

        Assert.Equal(["ID", "IP", "TYPE", "COMMAND"], written.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Unset_version_2_keys_of_an_exchange_reply_are_left_out_so_a_version_1_box_sees_only_its_keys()
    {
        var reply = new ExchangeReply
        {
            Id = EntranceId, Type = NodeTypes.Entrance, Ip = "198.51.100.1", Port = "8000", Command = Commands.Exchange,
            EntranceUrls = ["ws://198.51.100.1:8000/dandelion/ws/"], Message = "ACCEPTED",
        };

        using var written = JsonDocument.Parse(ProtocolJson.Serialize(reply, Json.ExchangeReply));

        Assert.Equal(["COMMAND", "ENTRANCE_URLS", "ID", "IP", "MESSAGE", "PORT", "TYPE"],
            written.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    private static T Head<T>(T message) where T : NodeMessage =>
        message with
        {
            Id = BoxId, Ip = "203.0.113.7", Port = "17170", Type = NodeTypes.Box, Command = Commands.Exchange,
            Version = ProtocolVersion.V2, Token = "dG9rZW4", MaxMessageBytes = 65536,
        };

    private static void RoundTrip<T>(T sent, JsonTypeInfo<T> type) where T : class
    {
        var bytes = ProtocolJson.Serialize(sent, type);

        Assert.True(ProtocolJson.TryParse(bytes, type, out var received, out var error), error?.Message);
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<JsonIgnoreAttribute>() is not null)
                continue;
            var before = property.GetValue(sent);
            Assert.True(before is not null, $"the {typeof(T).Name} sample leaves {property.Name} unset, so its trip is not tested");
            Assert.Equal(Comparable(before), Comparable(property.GetValue(received)));
        }
    }

    // Lists, dictionaries and JsonElements compare by reference; their JSON compares by value.
    private static string Comparable(object? value) => JsonSerializer.Serialize(value);
}
