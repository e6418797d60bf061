using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Dandelion.Shared.Protocol;

/// <summary>Reading and writing messages through <see cref="ProtocolJsonContext"/>.</summary>
public static class ProtocolJson
{
    public static ProtocolJsonContext Context => ProtocolJsonContext.Default;

    /// <summary>
    /// Parses one message. A frame that is not a JSON object, or whose values have the
    /// wrong shape, gives <paramref name="error"/> instead of throwing.
    /// </summary>
    public static bool TryParse<T>(ReadOnlySpan<byte> utf8, JsonTypeInfo<T> type,
        [NotNullWhen(true)] out T? message, [NotNullWhen(false)] out ProtocolError? error)
        where T : class
    {
        try
        {
            message = JsonSerializer.Deserialize(utf8, type);
            if (message is null)
            {
                error = ProtocolError.BadJson("expected a JSON object, found null.");
                return false;
            }
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            message = null;
            error = ProtocolError.BadJson(Describe(ex));
            return false;
        }
    }

    public static byte[] Serialize<T>(T message, JsonTypeInfo<T> type) =>
        JsonSerializer.SerializeToUtf8Bytes(message, type);

    // JsonException messages can quote the payload; keep the path and position only.
    private static string Describe(JsonException ex) =>
        ex.Path is { Length: > 0 } path
            ? $"bad value at {path} (line {ex.LineNumber}, byte {ex.BytePositionInLine})."
            : $"line {ex.LineNumber}, byte {ex.BytePositionInLine}.";
}
