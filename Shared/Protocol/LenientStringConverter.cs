using System.Buffers;
using System.Buffers.Text;

namespace Dandelion.Shared.Protocol;

/// <summary>
/// Reads a JSON string, number or boolean as text. The original Dandelion sends the
/// same field as <c>"17170"</c> when it came out of a Redis hash and as <c>17170</c>
/// when it was built in memory; both mean the same value.
/// </summary>
public sealed class LenientStringConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Number => NumberText(ref reader),
            JsonTokenType.True => "True",
            JsonTokenType.False => "False",
            _ => throw new JsonException($"Expected a string or a number, found {reader.TokenType}."),
        };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value);

    private static string NumberText(ref Utf8JsonReader reader)
    {
        ReadOnlySpan<byte> raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        return System.Text.Encoding.UTF8.GetString(raw);
    }
}

/// <summary>Reads a 64-bit integer written as a number or as a string of digits.</summary>
public sealed class LenientInt64Converter : JsonConverter<long>
{
    public override long Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetInt64(out var whole))
                return whole;
            // "60.0" from a Python float: accept whole values only.
            if (reader.TryGetDouble(out var real) && IsWholeInt64(real))
                return (long)real;
            throw new JsonException("Expected a whole number.");
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            ReadOnlySpan<byte> raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
            raw = raw.Trim((byte)' ');
            if (Utf8Parser.TryParse(raw, out long value, out var used) && used == raw.Length)
                return value;
            if (Utf8Parser.TryParse(raw, out double real, out used) && used == raw.Length && IsWholeInt64(real))
                return (long)real;
            throw new JsonException("Expected a whole number.");
        }

        throw new JsonException($"Expected a number, found {reader.TokenType}.");
    }

    public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(value);

    // (double)long.MaxValue rounds up to 2^63, which does not fit: the upper bound is
    // exclusive, or 9223372036854775808 would wrap to long.MinValue.
    private const double TwoToThe63 = 9223372036854775808.0;

    private static bool IsWholeInt64(double real) =>
        double.IsFinite(real) && real == Math.Floor(real) && real >= -TwoToThe63 && real < TwoToThe63;
}
