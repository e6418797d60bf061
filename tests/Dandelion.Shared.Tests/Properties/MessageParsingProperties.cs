using System.Text;
using System.Text.Json.Serialization.Metadata;
using CsCheck;
using Dandelion.Shared.Protocol;

namespace Dandelion.Shared.Tests.Properties;

/// <summary>
/// Message parsing (<see cref="ProtocolJson.TryParse"/>) over generated input: any bytes, and JSON of
/// the protocol's shape with values of every kind in every field, parse or give bad-json, never
/// throw; what a node serializes is parsed back as it was.
/// </summary>
public sealed class MessageParsingProperties
{
    private static readonly string[] Keys =
        ["ID", "IP", "PORT", "TYPE", "COMMAND", "VERSION", "TOKEN", "SEQ", "TRAFFIC", "SIZE", "URL", "STATUS", "COUNT", "EXCLUDE",
         "LOCATION", "LAT", "LON", "STREAMS", "SERVED", "FILE_PATH", "TTL", "SHA256", "GRANT", "NAME", "STATE", "DISTRUSTED", "x:TRAFFIC_FLOW:log-1"];

    // A JSON value of any kind, nesting a little: the shapes a peer may put where the protocol wants another.
    private static Gen<string> Value(int depth)
    {
        var leaf = Gen.Frequency(
            (3, Gen.OneOf("null", "true", "false", "0", "-1", "1e308", "-1e309", "9223372036854775808", "-9223372036854775809",
                "1.5", "\"\"", "\"9223372036854775807\"", "\"-5\"", "\"\\u0000\"", "\"\\ud800\"", "\"x\"", "[]", "{}")),
            (2, Gen.Long.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            (2, Gen.String[0, 20].Select(s => System.Text.Json.JsonSerializer.Serialize(s))));
        return depth <= 0 ? leaf : Gen.Frequency(
            (7, leaf),
            (2, Value(depth - 1).Array[0, 4].Select(items => "[" + string.Join(',', items) + "]")),
            (2, Object(depth - 1)));
    }

    private static Gen<string> Object(int depth) =>
        Gen.Select(Gen.OneOf(Keys), Value(depth)).Array[0, 8]
            .Select(pairs => "{" + string.Join(',', pairs.Select(p => $"\"{p.Item1}\":{p.Item2}")) + "}");

    private static readonly Gen<byte[]> ShapedMessages = Object(2).Select(Encoding.UTF8.GetBytes);

    private static readonly Gen<byte[]> AnyBytes = Gen.Frequency(
        (1, Gen.Byte.Array[0, 200]),
        // Valid JSON, cut or with a byte changed: the near misses.
        (2, Gen.Select(ShapedMessages, Gen.Double[0, 1], Gen.Byte, Gen.Bool, (m, at, b, cut) =>
        {
            if (m.Length == 0)
                return m;
            var i = (int)(at * (m.Length - 1));
            if (cut)
                return m[..i];
            var copy = (byte[])m.Clone();
            copy[i] = b;
            return copy;
        })));

    private static void NeverThrows<T>(byte[] utf8, JsonTypeInfo<T> type) where T : class
    {
        if (ProtocolJson.TryParse(utf8, type, out var message, out var error))
            Assert.NotNull(message);
        else
            Assert.Equal(ProtocolErrorCodes.BadJson, error.Code);
    }

    private static void EveryMessageType(byte[] utf8)
    {
        NeverThrows(utf8, ProtocolJsonContext.Default.ExchangeRequest);
        NeverThrows(utf8, ProtocolJsonContext.Default.ExchangeReply);
        NeverThrows(utf8, ProtocolJsonContext.Default.SearchRequest);
        NeverThrows(utf8, ProtocolJsonContext.Default.SearchReply);
        NeverThrows(utf8, ProtocolJsonContext.Default.PublishRequest);
        NeverThrows(utf8, ProtocolJsonContext.Default.PublishReply);
        NeverThrows(utf8, ProtocolJsonContext.Default.FileHeader);
        NeverThrows(utf8, ProtocolJsonContext.Default.FileResult);
        NeverThrows(utf8, ProtocolJsonContext.Default.ErrorReply);
    }

    [Fact]
    public void Messages_of_the_protocols_shape_with_any_values_parse_or_are_bad_json_never_thrown() =>
        ShapedMessages.Sample(EveryMessageType, iter: PropertyRuns.Cases, threads: PropertyRuns.Threads);

    [Fact]
    public void Any_bytes_parse_or_are_bad_json_never_thrown() =>
        AnyBytes.Sample(EveryMessageType, iter: PropertyRuns.Cases, threads: PropertyRuns.Threads);

    [Fact]
    public void An_exchange_a_node_serializes_is_parsed_back_with_every_traffic_entry()
    {
        var entries = Gen.Select(Gen.Long, Gen.Long, Gen.Long[100, 599], Gen.String[0, 30],
            (id, size, status, url) => new TrafficEntry { Id = id, Size = size, Status = status, Url = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(url)) });
        Gen.Select(entries.Array[0, 20], Gen.Long, (traffic, seq) => new ExchangeRequest
        {
            Id = "box-" + new string('a', 32), Command = Commands.Exchange, Type = NodeTypes.Box, Sequence = seq, Traffic = traffic,
        }).Sample(sent =>
        {
            Assert.True(ProtocolJson.TryParse(ProtocolJson.Serialize(sent, ProtocolJsonContext.Default.ExchangeRequest),
                ProtocolJsonContext.Default.ExchangeRequest, out var read, out _));
            Assert.Equal(sent.Sequence, read.Sequence);
            Assert.Equal(sent.Traffic, read.Traffic);
        }, iter: PropertyRuns.Cases, threads: PropertyRuns.Threads);
    }
}
