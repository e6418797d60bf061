using System.Net.WebSockets;
using System.Text;
using Dandelion.Entrance.Sessions;
using Dandelion.Entrance.Tests.Support;
using Dandelion.Shared.Protocol;

namespace Dandelion.Entrance.Tests.Unit;

public sealed class InboundParserTests
{
    private const string Box = "box-0123456789abcdef0123456789abcdef";
    private const string Publisher = "publisher-0123456789abcdef0123456789abcdef";

    public static TheoryData<string, string, string, WebSocketCloseStatus> Malformed() => new()
    {
        // Not JSON at all.
        { "not json", "hello", ProtocolErrorCodes.BadJson, WebSocketCloseStatus.InvalidPayloadData },
        // Cut off mid-object.
        { "truncated", $$"""{"ID":"{{Box}}","IP":""", ProtocolErrorCodes.BadJson, WebSocketCloseStatus.InvalidPayloadData },
        // JSON, but an array rather than an object.
        { "array", "[1,2,3]", ProtocolErrorCodes.BadJson, WebSocketCloseStatus.InvalidPayloadData },
        // JSON null.
        { "null", "null", ProtocolErrorCodes.BadJson, WebSocketCloseStatus.InvalidPayloadData },
        // A value of the wrong shape: PORT as an object.
        { "port object", $$"""{"ID":"{{Box}}","IP":"1.2.3.4","PORT":{"a":1},"TYPE":"BOX","COMMAND":"EXCHANGE"}""", ProtocolErrorCodes.BadJson, WebSocketCloseStatus.InvalidPayloadData },
        // TRAFFIC must be a list of entries.
        { "traffic not a list", $$"""{"ID":"{{Box}}","IP":"1.2.3.4","PORT":"1","TYPE":"BOX","COMMAND":"EXCHANGE","VERSION":2,"TRAFFIC":"x"}""", ProtocolErrorCodes.BadJson, WebSocketCloseStatus.InvalidPayloadData },
        // Nesting deeper than the limit of 16.
        { "too deep", "{\"A\":" + new string('[', 40) + new string(']', 40) + "}", ProtocolErrorCodes.BadJson, WebSocketCloseStatus.InvalidPayloadData },
        // Empty object: ID is the first thing missing.
        { "empty object", "{}", ProtocolErrorCodes.MissingField, WebSocketCloseStatus.PolicyViolation },
        // ID present but empty.
        { "empty ID", """{"ID":"","IP":"1.2.3.4","PORT":"1","TYPE":"BOX","COMMAND":"EXCHANGE"}""", ProtocolErrorCodes.MissingField, WebSocketCloseStatus.PolicyViolation },
        // IP missing.
        { "no IP", $$"""{"ID":"{{Box}}","PORT":"1","TYPE":"BOX","COMMAND":"EXCHANGE"}""", ProtocolErrorCodes.MissingField, WebSocketCloseStatus.PolicyViolation },
        // A box must give PORT.
        { "box without PORT", $$"""{"ID":"{{Box}}","IP":"1.2.3.4","TYPE":"BOX","COMMAND":"EXCHANGE"}""", ProtocolErrorCodes.MissingField, WebSocketCloseStatus.PolicyViolation },
        // COMMAND missing.
        { "no COMMAND", $$"""{"ID":"{{Box}}","IP":"1.2.3.4","PORT":"1","TYPE":"BOX"}""", ProtocolErrorCodes.MissingField, WebSocketCloseStatus.PolicyViolation },
        // TYPE not one of the three.
        { "unknown TYPE", $$"""{"ID":"{{Box}}","IP":"1.2.3.4","PORT":"1","TYPE":"TOASTER","COMMAND":"EXCHANGE"}""", ProtocolErrorCodes.UnknownType, WebSocketCloseStatus.PolicyViolation },
        // A command the entrance does not take.
        { "unknown COMMAND", $$"""{"ID":"{{Box}}","IP":"1.2.3.4","PORT":"1","TYPE":"BOX","COMMAND":"DANCE"}""", ProtocolErrorCodes.UnknownCommand, WebSocketCloseStatus.PolicyViolation },
        // A known command from the wrong TYPE: publishers do not EXCHANGE.
        { "EXCHANGE from a publisher", $$"""{"ID":"{{Publisher}}","IP":"1.2.3.4","TYPE":"PUBLISHER","COMMAND":"EXCHANGE"}""", ProtocolErrorCodes.UnknownCommand, WebSocketCloseStatus.PolicyViolation },
        // PUBLISH goes to boxes, not entrances.
        { "PUBLISH to the entrance", $$"""{"ID":"{{Publisher}}","IP":"1.2.3.4","TYPE":"PUBLISHER","COMMAND":"PUBLISH"}""", ProtocolErrorCodes.UnknownCommand, WebSocketCloseStatus.PolicyViolation },
        // An ID that is not box-<32 hex> (it would become part of Redis keys).
        { "bad box id", """{"ID":"box-{evil}","IP":"1.2.3.4","PORT":"1","TYPE":"BOX","COMMAND":"EXCHANGE"}""", ProtocolErrorCodes.MissingField, WebSocketCloseStatus.PolicyViolation },
        // LOCATION off the globe.
        { "bad LOCATION", $$"""{"ID":"{{Publisher}}","IP":"1.2.3.4","TYPE":"PUBLISHER","COMMAND":"SEARCH","VERSION":2,"LOCATION":{"LAT":91,"LON":0} }""", ProtocolErrorCodes.BadJson, WebSocketCloseStatus.InvalidPayloadData },
        // COUNT must be positive.
        { "zero COUNT", $$"""{"ID":"{{Publisher}}","IP":"1.2.3.4","TYPE":"PUBLISHER","COMMAND":"SEARCH","VERSION":2,"COUNT":0}""", ProtocolErrorCodes.BadJson, WebSocketCloseStatus.InvalidPayloadData },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Refuses_malformed_messages_with_the_right_error(string because, string text, string code, WebSocketCloseStatus status)
    {
        var ok = InboundParser.TryParse(Encoding.UTF8.GetBytes(text), out var message, out var error, out _);
        Assert.False(ok, because);
        Assert.Null(message);
        Assert.Equal(code, error!.Code);
        Assert.Equal(status, error.CloseStatus);
        if (code is ProtocolErrorCodes.BadJson or ProtocolErrorCodes.MissingField or ProtocolErrorCodes.UnknownType or ProtocolErrorCodes.UnknownCommand)
            Assert.StartsWith(ProtocolError.WrongFormat, error.Message);
    }

    [Fact]
    public void Reads_an_original_version_1_exchange_with_string_values_and_traffic_entries()
    {
        var text = Messages.V1Exchange(Box, "203.0.113.7", ("log-aa", "/a.ts", "100"), ("log-bb", "/b.ts", "250")).ToJsonString();
        Assert.True(InboundParser.TryParse(Encoding.UTF8.GetBytes(text), out var message, out _, out _));
        using (message)
        {
            var exchange = Assert.IsType<ExchangeRequest>(message!.Message);
            Assert.Equal(ProtocolVersion.V1, message.Version);
            Assert.Equal("17170", exchange.Port);
            Assert.Equal("0.52", exchange.LoadAverage1);
            Assert.Equal(2, exchange.Extra!.Keys.Count(k => k.Contains(":TRAFFIC_FLOW:", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public void Accepts_numbers_where_the_original_sends_strings()
    {
        var text = $$"""{"ID":"{{Box}}","IP":"1.2.3.4","PORT":17170,"TYPE":"BOX","COMMAND":"EXCHANGE","CPU-NUM":4,"VERSION":"2","SEQ":"7"}""";
        Assert.True(InboundParser.TryParse(Encoding.UTF8.GetBytes(text), out var message, out _, out _));
        using (message)
        {
            Assert.Equal("17170", message!.Message.Port);
            Assert.Equal(ProtocolVersion.V2, message.Version);
            Assert.Equal(7, message.Exchange!.Sequence);
            Assert.Equal("4", message.Exchange.CpuNum);
        }
    }

    [Fact]
    public void Reads_a_version_2_search()
    {
        var text = Messages.V2Search(Publisher, count: 5, lat: 52.5, lon: 13.4, exclude: [Box]).ToJsonString();
        Assert.True(InboundParser.TryParse(Encoding.UTF8.GetBytes(text), out var message, out _, out var command));
        using (message)
        {
            Assert.Equal(Commands.Search, command);
            var search = message!.Search!;
            Assert.Equal(5, search.Count);
            Assert.Equal(52.5, search.Location!.Latitude);
            Assert.Equal([Box], search.Exclude);
        }
    }

    [Fact]
    public void A_publisher_needs_no_port()
    {
        var text = Messages.V1Search(Publisher).ToJsonString();
        Assert.True(InboundParser.TryParse(Encoding.UTF8.GetBytes(text), out var message, out var error, out _), error?.Message);
        message!.Dispose();
    }
}
