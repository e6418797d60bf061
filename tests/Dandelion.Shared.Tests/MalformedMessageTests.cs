using System.Text;
using Dandelion.Shared.Protocol;

namespace Dandelion.Shared.Tests;

/// <summary>
/// What a receiver makes of bad input: <see cref="ProtocolJson.TryParse"/> then
/// <see cref="MessageValidation.Validate"/>, as an entrance or box runs them on every text message.
/// </summary>
public sealed class MalformedMessageTests
{
    private const string Valid = "ok";
    private const string Head = "\"ID\":\"box-1\",\"IP\":\"203.0.113.7\",\"TYPE\":\"BOX\",\"COMMAND\":\"EXCHANGE\"";

    private static string Refusal(byte[] utf8)
    {
        if (!ProtocolJson.TryParse(utf8, ProtocolJsonContext.Default.ExchangeRequest, out var message, out var error))
            return error.Code;
        return MessageValidation.Validate(message)?.Code ?? Valid;
    }

    [Theory]
    // The control row: every required key present.
    [InlineData("{" + Head + ",\"PORT\":\"17170\"}", Valid)]
    // Not JSON at all.
    [InlineData("HI box-1", ProtocolErrorCodes.BadJson)]
    // Cut off in the middle of the object.
    [InlineData("{\"ID\":\"box-1\",\"IP\":\"203.0", ProtocolErrorCodes.BadJson)]
    // Cut off after a complete value, before the closing brace.
    [InlineData("{" + Head, ProtocolErrorCodes.BadJson)]
    // Nothing at all, and only white space.
    [InlineData("", ProtocolErrorCodes.BadJson)]
    [InlineData("   \n", ProtocolErrorCodes.BadJson)]
    // A JSON array, string, number, boolean and null at the top level: valid JSON, not a message.
    [InlineData("[" + "{" + Head + ",\"PORT\":\"1\"}" + "]", ProtocolErrorCodes.BadJson)]
    [InlineData("\"EXCHANGE\"", ProtocolErrorCodes.BadJson)]
    [InlineData("17170", ProtocolErrorCodes.BadJson)]
    [InlineData("true", ProtocolErrorCodes.BadJson)]
    [InlineData("null", ProtocolErrorCodes.BadJson)]
    // Two objects in one frame.
    [InlineData("{" + Head + ",\"PORT\":\"1\"}{}", ProtocolErrorCodes.BadJson)]
    // A trailing comma and a comment: Python's json never writes either.
    [InlineData("{" + Head + ",\"PORT\":\"1\",}", ProtocolErrorCodes.BadJson)]
    [InlineData("{" + Head + ",\"PORT\":\"1\"/* hi */}", ProtocolErrorCodes.BadJson)]
    // Single quotes are Python's repr, not JSON.
    [InlineData("{'ID':'box-1'}", ProtocolErrorCodes.BadJson)]
    // Each required key missing in turn.
    [InlineData("{\"IP\":\"203.0.113.7\",\"PORT\":\"1\",\"TYPE\":\"BOX\",\"COMMAND\":\"EXCHANGE\"}", ProtocolErrorCodes.MissingField)]
    [InlineData("{\"ID\":\"box-1\",\"PORT\":\"1\",\"TYPE\":\"BOX\",\"COMMAND\":\"EXCHANGE\"}", ProtocolErrorCodes.MissingField)]
    [InlineData("{\"ID\":\"box-1\",\"IP\":\"203.0.113.7\",\"PORT\":\"1\",\"COMMAND\":\"EXCHANGE\"}", ProtocolErrorCodes.MissingField)]
    [InlineData("{\"ID\":\"box-1\",\"IP\":\"203.0.113.7\",\"PORT\":\"1\",\"TYPE\":\"BOX\"}", ProtocolErrorCodes.MissingField)]
    // Each required key present but empty.
    [InlineData("{\"ID\":\"\",\"IP\":\"203.0.113.7\",\"PORT\":\"1\",\"TYPE\":\"BOX\",\"COMMAND\":\"EXCHANGE\"}", ProtocolErrorCodes.MissingField)]
    [InlineData("{\"ID\":\"box-1\",\"IP\":\"\",\"PORT\":\"1\",\"TYPE\":\"BOX\",\"COMMAND\":\"EXCHANGE\"}", ProtocolErrorCodes.MissingField)]
    [InlineData("{\"ID\":\"box-1\",\"IP\":\"203.0.113.7\",\"PORT\":\"1\",\"TYPE\":\"\",\"COMMAND\":\"EXCHANGE\"}", ProtocolErrorCodes.MissingField)]
    [InlineData("{\"ID\":\"box-1\",\"IP\":\"203.0.113.7\",\"PORT\":\"1\",\"TYPE\":\"BOX\",\"COMMAND\":\"\"}", ProtocolErrorCodes.MissingField)]
    // null is no value: the same as missing.
    [InlineData("{\"ID\":null,\"IP\":\"203.0.113.7\",\"PORT\":\"1\",\"TYPE\":\"BOX\",\"COMMAND\":\"EXCHANGE\"}", ProtocolErrorCodes.MissingField)]
    // A box must give PORT; missing, empty or null it is refused.
    [InlineData("{" + Head + "}", ProtocolErrorCodes.MissingField)]
    [InlineData("{" + Head + ",\"PORT\":\"\"}", ProtocolErrorCodes.MissingField)]
    [InlineData("{" + Head + ",\"PORT\":null}", ProtocolErrorCodes.MissingField)]
    // A publisher need not: the original's publisher never sends one.
    [InlineData("{\"ID\":\"publisher-1\",\"IP\":\"198.51.100.9\",\"TYPE\":\"PUBLISHER\",\"COMMAND\":\"SEARCH\"}", Valid)]
    // ... but an entrance must.
    [InlineData("{\"ID\":\"entrance-1\",\"IP\":\"198.51.100.1\",\"TYPE\":\"ENTRANCE\",\"COMMAND\":\"EXCHANGE\"}", ProtocolErrorCodes.MissingField)]
    // TYPE outside the three, in another case, and unknown without a PORT (the TYPE is the fault).
    [InlineData("{\"ID\":\"v-1\",\"IP\":\"198.51.100.9\",\"PORT\":\"1\",\"TYPE\":\"VIEWER\",\"COMMAND\":\"SEARCH\"}", ProtocolErrorCodes.UnknownType)]
    [InlineData("{\"ID\":\"box-1\",\"IP\":\"203.0.113.7\",\"PORT\":\"1\",\"TYPE\":\"box\",\"COMMAND\":\"EXCHANGE\"}", ProtocolErrorCodes.UnknownType)]
    [InlineData("{\"ID\":\"v-1\",\"IP\":\"198.51.100.9\",\"TYPE\":\"VIEWER\",\"COMMAND\":\"SEARCH\"}", ProtocolErrorCodes.UnknownType)]
    // Values of the wrong shape: PORT as an object or a list, ID as a list.
    [InlineData("{" + Head + ",\"PORT\":{\"n\":17170}}", ProtocolErrorCodes.BadJson)]
    [InlineData("{" + Head + ",\"PORT\":[17170]}", ProtocolErrorCodes.BadJson)]
    [InlineData("{\"ID\":[\"box-1\"],\"IP\":\"203.0.113.7\",\"PORT\":\"1\",\"TYPE\":\"BOX\",\"COMMAND\":\"EXCHANGE\"}", ProtocolErrorCodes.BadJson)]
    // VERSION must be a whole number, as a number or as digits.
    [InlineData("{" + Head + ",\"PORT\":\"1\",\"VERSION\":\"abc\"}", ProtocolErrorCodes.BadJson)]
    [InlineData("{" + Head + ",\"PORT\":\"1\",\"VERSION\":2.5}", ProtocolErrorCodes.BadJson)]
    [InlineData("{" + Head + ",\"PORT\":\"1\",\"VERSION\":\"\"}", ProtocolErrorCodes.BadJson)]
    [InlineData("{" + Head + ",\"PORT\":\"1\",\"VERSION\":true}", ProtocolErrorCodes.BadJson)]
    [InlineData("{" + Head + ",\"PORT\":\"1\",\"VERSION\":\"2\"}", Valid)]
    [InlineData("{" + Head + ",\"PORT\":\"1\",\"VERSION\":2.0}", Valid)]
    // A version 2 list of the wrong shape.
    [InlineData("{" + Head + ",\"PORT\":\"1\",\"TRAFFIC\":{\"ID\":1}}", ProtocolErrorCodes.BadJson)]
    [InlineData("{" + Head + ",\"PORT\":\"1\",\"TRAFFIC\":[{\"ID\":\"x\"}]}", ProtocolErrorCodes.BadJson)]
    // Huge numbers: past Int64, past double, and 2^63 exactly (which used to wrap to long.MinValue).
    [InlineData("{" + Head + ",\"PORT\":\"1\",\"VERSION\":99999999999999999999999}", ProtocolErrorCodes.BadJson)]
    [InlineData("{" + Head + ",\"PORT\":\"1\",\"VERSION\":1e400}", ProtocolErrorCodes.BadJson)]
    [InlineData("{" + Head + ",\"PORT\":\"1\",\"VERSION\":\"1e400\"}", ProtocolErrorCodes.BadJson)]
    [InlineData("{" + Head + ",\"PORT\":\"1\",\"VERSION\":9223372036854775808}", ProtocolErrorCodes.BadJson)]
    [InlineData("{" + Head + ",\"PORT\":\"1\",\"SEQ\":\"9223372036854775808\"}", ProtocolErrorCodes.BadJson)]
    [InlineData("{" + Head + ",\"PORT\":\"1\",\"SEQ\":9223372036854775807}", Valid)]
    // A key twice: refused, never "last wins" (see ProtocolJsonContext).
    [InlineData("{" + Head + ",\"PORT\":\"1\",\"ID\":\"box-2\"}", ProtocolErrorCodes.BadJson)]
    [InlineData("{" + Head + ",\"PORT\":\"1\",\"PORT\":\"2\"}", ProtocolErrorCodes.BadJson)]
    // ... also a key this type does not name (it lands in Extra).
    [InlineData("{" + Head + ",\"PORT\":\"1\",\"X\":1,\"X\":2}", ProtocolErrorCodes.BadJson)]
    // ... and inside a nested object.
    [InlineData("{" + Head + ",\"PORT\":\"1\",\"TRAFFIC\":[{\"ID\":1,\"ID\":2}]}", ProtocolErrorCodes.BadJson)]
    public void Malformed_input_gets_the_right_code(string json, string expected)
    {
        Assert.Equal(expected, Refusal(Encoding.UTF8.GetBytes(json)));
    }

    [Theory]
    // Nesting to the limit (16) is read; one level deeper is refused, even under an unknown key.
    [InlineData(14, Valid)]
    [InlineData(16, ProtocolErrorCodes.BadJson)]
    [InlineData(1000, ProtocolErrorCodes.BadJson)]
    public void Nesting_deeper_than_max_depth_is_refused(int depth, string expected)
    {
        var nested = new string('[', depth) + new string(']', depth);
        var json = "{" + Head + ",\"PORT\":\"1\",\"DEEP\":" + nested + "}";

        Assert.Equal(expected, Refusal(Encoding.UTF8.GetBytes(json)));
    }

    [Theory]
    // A lone continuation byte inside a string.
    [InlineData(new byte[] { 0x80 })]
    // An overlong encoding of '/'.
    [InlineData(new byte[] { 0xC0, 0xAF })]
    // A truncated three-byte sequence.
    [InlineData(new byte[] { 0xE2, 0x82 })]
    public void Invalid_utf8_in_a_value_is_bad_json(byte[] bad)
    {
        var utf8 = Encoding.UTF8.GetBytes("{" + Head + ",\"PORT\":\"1\",\"CPU-HZ\":\"").Concat(bad).Concat("\"}"u8.ToArray()).ToArray();

        Assert.Equal(ProtocolErrorCodes.BadJson, Refusal(utf8));
    }

    [Theory]
    // A long key whose value is cut short: the key must not come back in the error.
    [InlineData("{\"MARKER-<script>alert(1)</script>\":[")]
    // A key with a newline and a bad value: log injection.
    [InlineData("{\"ID\":\"box-1\",\"MARKER\\nFAKE LOG LINE\":{\"a\":nope}}")]
    // A bad value under an unknown key inside a list.
    [InlineData("{\"ID\":\"box-1\",\"TRAFFIC\":[{\"ID\":1,\"MARKER\":[}]}")]
    // A bad value inside BOX_SET, under a box id the peer chose.
    [InlineData("{\"ID\":\"e\",\"BOX_SET\":{\"MARKER-box\":{\"PORT\":nope}}}")]
    // A string where a number is meant.
    [InlineData("{\"ID\":\"box-1\",\"VERSION\":\"MARKER\"}")]
    // TYPE that is not one of the three.
    [InlineData("{\"ID\":\"box-1\",\"IP\":\"1\",\"PORT\":\"1\",\"TYPE\":\"MARKER\",\"COMMAND\":\"EXCHANGE\"}")]
    // A huge TYPE.
    [InlineData("{\"ID\":\"box-1\",\"IP\":\"1\",\"PORT\":\"1\",\"TYPE\":\"MARKERMARKERMARKERMARKERMARKERMARKER\",\"COMMAND\":\"EXCHANGE\"}")]
    public void Error_messages_never_quote_the_payload(string json)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        ProtocolError? error = null;
        foreach (var parse in new Func<ProtocolError?>[]
        {
            () => ProtocolJson.TryParse(utf8, ProtocolJsonContext.Default.ExchangeRequest, out var m, out var e) ? MessageValidation.Validate(m) : e,
            () => ProtocolJson.TryParse(utf8, ProtocolJsonContext.Default.SearchReply, out var m, out var e) ? MessageValidation.Validate(m) : e,
        })
        {
            error = parse();
            if (error is not null)
                break;
        }

        Assert.NotNull(error);
        Assert.StartsWith(ProtocolError.WrongFormat, error.Message);
        Assert.DoesNotContain("MARKER", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("script", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain('\n', error.Message);
        Assert.True(error.Message.Length < 200, error.Message);
    }

    [Fact]
    public void A_bad_value_under_a_protocol_key_is_named_by_its_path()
    {
        var json = "{\"ID\":\"box-1\",\"TRAFFIC\":[{\"ID\":1},{\"ID\":2,\"SIZE\":\"lots\"}]}";

        Assert.False(ProtocolJson.TryParse(Encoding.UTF8.GetBytes(json), ProtocolJsonContext.Default.ExchangeRequest, out _, out var error));

        Assert.Contains("$.TRAFFIC[1].SIZE", error.Message);
    }

    [Fact]
    public void A_bad_value_under_a_box_id_is_named_only_up_to_box_set()
    {
        var json = "{\"ID\":\"e\",\"BOX_SET\":{\"box-0123\":{\"PORT\":nope}},\"COMMAND\":\"SEARCH\"}";

        Assert.False(ProtocolJson.TryParse(Encoding.UTF8.GetBytes(json), ProtocolJsonContext.Default.SearchReply, out _, out var error));

        Assert.Equal(ProtocolErrorCodes.BadJson, error.Code);
        Assert.Contains("$.BOX_SET ", error.Message);
        Assert.DoesNotContain("box-0123", error.Message);
    }

    [Fact]
    public void Unknown_command_names_only_protocol_words()
    {
        Assert.Equal($"{ProtocolError.WrongFormat} COMMAND 'PUBLISH' is not accepted from TYPE 'BOX' here.",
            ProtocolError.UnknownCommand(Commands.Publish, NodeTypes.Box).Message);
        Assert.Equal($"{ProtocolError.WrongFormat} COMMAND (unknown) is not accepted from TYPE (unknown) here.",
            ProtocolError.UnknownCommand("DROP TABLE boxes", "<b>x</b>").Message);
    }

    [Fact]
    public void Every_refusal_carries_its_close_status()
    {
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.InvalidPayloadData, ProtocolError.BadJson("x").CloseStatus);
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, ProtocolError.MissingField("ID").CloseStatus);
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, ProtocolError.UnknownType("X").CloseStatus);
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.MessageTooBig, ProtocolError.TooBig(10).CloseStatus);
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.InvalidMessageType, ProtocolError.BinaryNotAccepted().CloseStatus);
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.InternalServerError, ProtocolError.Unavailable("redis").CloseStatus);
        Assert.Equal(ProtocolErrorCodes.MissingField, ProtocolError.MissingField("ID").CloseDescription);
    }
}
