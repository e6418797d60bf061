using System.Diagnostics.CodeAnalysis;
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
            if (message is ExchangeRequest { Extra: var extra } && !ExtensionData.IsWellFormed(extra))
            {
                message = null;
                error = ProtocolError.BadJson("a string holds an escaped lone surrogate (\\uD800-\\uDFFF), which has no UTF-8 form.");
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

    // JsonException messages can quote the payload, and so can its path: a key is the
    // peer's text too. Keep the position, and the path only as far as it is made of the
    // protocol's own keys and list indexes ("$.TRAFFIC[3].SIZE"; "$.BOX_SET" for a value
    // under a box id), so an error never carries a peer's text into a reply or a log line.
    private static string Describe(JsonException ex)
    {
        var path = KnownPart(ex.Path);
        return path is { Length: > 1 }
            ? $"bad value at {path} (line {ex.LineNumber}, byte {ex.BytePositionInLine})."
            : $"bad value at line {ex.LineNumber}, byte {ex.BytePositionInLine}.";
    }

    private static string? KnownPart(string? path)
    {
        if (path is null || !path.StartsWith('$'))
            return null;
        var end = 1;
        var i = 1;
        while (i < path.Length)
        {
            string? name;
            if (path[i] == '.')
            {
                var next = path.IndexOfAny(['.', '['], i + 1);
                next = next < 0 ? path.Length : next;
                name = path[(i + 1)..next];
                i = next;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                var close = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (close < 0)
                    break;
                name = path[(i + 2)..close];
                i = close + 2;
            }
            else if (path[i] == '[')
            {
                var close = path.IndexOf(']', i + 1);
                if (close < i + 2 || path.AsSpan(i + 1, close - i - 1).ContainsAnyExceptInRange('0', '9'))
                    break;
                name = null; // a list index
                i = close + 1;
            }
            else
            {
                break;
            }

            if (name is not null && !KnownKeys.Contains(name))
                break;
            end = i;
        }
        return path[..end];
    }

    // Every key a message, or a value inside one, can have.
    private static readonly HashSet<string> KnownKeys = CollectKeys();

    private static HashSet<string> CollectKeys()
    {
        Type[] types =
        [
            typeof(MessageHead), typeof(ErrorReply), typeof(ExchangeRequest), typeof(ExchangeReply),
            typeof(BoxCommand), typeof(SearchRequest), typeof(SearchReply), typeof(RankedBox),
            typeof(ScoreParts), typeof(PublishRequest), typeof(PublishReply), typeof(FileHeader),
            typeof(FileResult), typeof(TrafficEntry), typeof(TrafficEntryV1), typeof(GeoLocation),
            typeof(GeoPoint),
        ];
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in types)
        {
            foreach (var property in ProtocolJsonContext.Default.GetTypeInfo(type)!.Properties)
                keys.Add(property.Name);
        }
        return keys;
    }
}
