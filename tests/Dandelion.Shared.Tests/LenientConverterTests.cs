using System.Text;
using Dandelion.Shared.Protocol;

namespace Dandelion.Shared.Tests;

/// <summary>Values that arrive as strings or numbers (<see cref="LenientStringConverter"/>, <see cref="LenientInt64Converter"/>).</summary>
public sealed class LenientConverterTests
{
    private static MessageHead ParseHead(string portJson)
    {
        var json = $"{{\"ID\":\"box-1\",\"PORT\":{portJson}}}";
        Assert.True(ProtocolJson.TryParse(Encoding.UTF8.GetBytes(json), ProtocolJsonContext.Default.MessageHead, out var head, out var error), error?.Message);
        return head;
    }

    [Theory]
    // From a Redis hash.
    [InlineData("\"17170\"", "17170", 17170)]
    // Built in memory.
    [InlineData("17170", "17170", 17170)]
    // A number keeps its exact text, not a reformatted double.
    [InlineData("1.50", "1.50", null)]
    [InlineData("1e3", "1e3", null)]
    [InlineData("-0", "-0", null)]
    // Too big for any number type: still text, never an exception; not a port.
    [InlineData("1e400", "1e400", null)]
    [InlineData("123456789012345678901234567890", "123456789012345678901234567890", null)]
    // Out of the port range.
    [InlineData("0", "0", null)]
    [InlineData("65536", "65536", null)]
    [InlineData("\"65535\"", "65535", 65535)]
    // Python's str(True), as a Redis hash gives it back.
    [InlineData("true", "True", null)]
    // Escapes in a string are decoded.
    [InlineData("\"\\u0031\\u0032\"", "12", 12)]
    public void Port_reads_strings_and_numbers_as_text(string json, string text, int? number)
    {
        var head = ParseHead(json);

        Assert.Equal(text, head.Port);
        Assert.Equal(number, head.PortNumber);
    }

    [Fact]
    public void Port_read_as_a_number_is_written_as_a_string()
    {
        var head = ParseHead("17170");

        Assert.Equal("{\"ID\":\"box-1\",\"PORT\":\"17170\"}", Encoding.UTF8.GetString(ProtocolJson.Serialize(head, ProtocolJsonContext.Default.MessageHead)));
    }

    [Theory]
    [InlineData("\"42\"", 42)]
    [InlineData("42", 42)]
    // Python floats with whole values.
    [InlineData("42.0", 42)]
    [InlineData("\"42.0\"", 42)]
    // Surrounding spaces in a string, as hand-edited Redis values have.
    [InlineData("\" 42 \"", 42)]
    [InlineData("-7", -7)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    [InlineData("\"-9223372036854775808\"", long.MinValue)]
    public void Int64_reads_whole_numbers_in_either_form(string json, long expected)
    {
        var text = $"{{\"SEQ\":{json}}}";

        Assert.True(ProtocolJson.TryParse(Encoding.UTF8.GetBytes(text), ProtocolJsonContext.Default.ExchangeReply, out var reply, out var error), error?.Message);

        Assert.Equal(expected, reply.Sequence);
    }

    [Theory]
    // A fraction.
    [InlineData("42.5")]
    [InlineData("\"42.5\"")]
    // Not a number.
    [InlineData("\"forty\"")]
    [InlineData("\"\"")]
    [InlineData("\"42abc\"")]
    [InlineData("\"NaN\"")]
    [InlineData("\"Infinity\"")]
    // 2^63 is one past long.MaxValue (it used to wrap to long.MinValue).
    [InlineData("9223372036854775808")]
    [InlineData("\"9223372036854775808\"")]
    [InlineData("9.3e18")]
    [InlineData("-9.3e18")]
    [InlineData("1e400")]
    // Wrong shapes.
    [InlineData("true")]
    [InlineData("{}")]
    [InlineData("[1]")]
    public void Int64_refuses_what_is_not_a_whole_int64(string json)
    {
        var text = $"{{\"SEQ\":{json}}}";

        Assert.False(ProtocolJson.TryParse(Encoding.UTF8.GetBytes(text), ProtocolJsonContext.Default.ExchangeReply, out _, out var error));

        Assert.Equal(ProtocolErrorCodes.BadJson, error.Code);
        Assert.Contains("$.SEQ", error.Message);
    }

    [Fact]
    public void Version_2_is_spoken_only_when_declared()
    {
        Assert.Equal(ProtocolVersion.V1, ParseHead("\"1\"").SpokenVersion);
        Assert.Equal(ProtocolVersion.V1, new MessageHead { Version = -5 }.SpokenVersion);
        Assert.Equal(ProtocolVersion.V2, new MessageHead { Version = 2 }.SpokenVersion);
        Assert.Equal(ProtocolVersion.V2, new MessageHead { Version = long.MaxValue }.SpokenVersion);
    }
}
