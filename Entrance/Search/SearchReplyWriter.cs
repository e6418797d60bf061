using System.Buffers;
using Dandelion.Entrance.Peers;

namespace Dandelion.Entrance.Search;

/// <summary>
/// Writes the SEARCH reply (the keys of <see cref="SearchReply"/>, docs/PROTOCOL.md) straight
/// from the index's records: each <c>BOX_SET</c> value is the stored box's bytes as they are
/// (flattened for a version 1 publisher, <see cref="Version1Values"/>), and
/// <c>CONNECT_WS</c>, <c>HTTP_URL</c>, <c>NAME</c> and <c>GEO</c> of <c>RANKING</c> are copied from them, so an
/// answer parses nothing and allocates one buffer.
/// </summary>
internal static class SearchReplyWriter
{
    /// <param name="grantFor">The publish grant for a box of the answer (auth on), else null.</param>
    public static byte[] Write(EntranceSelf self, bool v2, int? maxMessageBytes, IReadOnlyList<IndexHit> hits, Func<string, string>? grantFor,
        IReadOnlyList<ServedReport>? served = null)
    {
        var buffer = new ArrayBufferWriter<byte>(1024 + 800 * hits.Count);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("ID"u8, self.Id);
            writer.WriteString("IP"u8, self.Ip);
            writer.WriteString("PORT"u8, self.Port);
            writer.WriteString("TYPE"u8, NodeTypes.Entrance);
            writer.WriteString("COMMAND"u8, Commands.Search);
            if (v2)
                writer.WriteNumber("VERSION"u8, ProtocolVersion.V2);
            if (maxMessageBytes is { } limit)
                writer.WriteNumber("MAX_MESSAGE_BYTES"u8, limit);

            writer.WriteStartObject("BOX_SET"u8);
            foreach (var hit in hits)
            {
                writer.WritePropertyName(hit.Id);
                if (v2)
                    writer.WriteRawValue(hit.Record.Utf8, skipInputValidation: true);
                else
                    Version1Values.WriteFlat(writer, hit.Record.Utf8);
            }
            writer.WriteEndObject();

            writer.WriteStartArray("ENTRANCE_URLS"u8);
            foreach (var url in self.UrlsFor(v2 ? ProtocolVersion.V2 : 1))
                writer.WriteStringValue(url);
            writer.WriteEndArray();

            if (v2)
            {
                writer.WriteStartArray("RANKING"u8);
                foreach (var hit in hits)
                    WriteRanked(writer, hit);
                writer.WriteEndArray();
                if (grantFor is not null)
                {
                    writer.WriteStartObject("GRANTS"u8);
                    foreach (var hit in hits)
                        writer.WriteString(hit.Id, grantFor(hit.Id));
                    writer.WriteEndObject();
                }
                if (served is { Count: > 0 })
                {
                    writer.WriteStartArray("SERVED"u8);
                    foreach (var file in served)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("PATH"u8, file.Path);
                        writer.WriteNumber("BYTES"u8, file.Bytes);
                        writer.WriteNumber("REQUESTS"u8, file.Requests);
                        writer.WriteEndObject();
                    }
                    writer.WriteEndArray();
                }
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteRanked(Utf8JsonWriter writer, IndexHit hit)
    {
        var record = hit.Record;
        writer.WriteStartObject();
        writer.WriteString("ID"u8, hit.Id);
        Raw(writer, "CONNECT_WS"u8, record, record.ConnectWs);
        Raw(writer, "HTTP_URL"u8, record, record.HttpUrl);
        // A version 1 box cannot authenticate (it is served only where Auth:AllowVersion1): marked so.
        writer.WriteNumber("VERSION"u8, record.Version);
        writer.WriteNumber("SCORE"u8, hit.Score);
        writer.WriteNumber("DISTANCE_KM"u8, Math.Round(hit.Kilometres, 1));
        Raw(writer, "NAME"u8, record, record.Name);
        writer.WriteStartObject("PARTS"u8);
        writer.WriteNumber("DISTANCE"u8, hit.DistancePart);
        writer.WriteNumber("BANDWIDTH"u8, record.Bandwidth);
        writer.WriteNumber("STORAGE"u8, record.Storage);
        writer.WriteNumber("LOAD"u8, record.Load);
        writer.WriteEndObject();
        Raw(writer, "GEO"u8, record, record.Geo);
        writer.WriteEndObject();
    }

    private static void Raw(Utf8JsonWriter writer, ReadOnlySpan<byte> name, IndexRecord record, Range range)
    {
        var value = record.Value(range);
        if (value.IsEmpty)
            return;
        writer.WritePropertyName(name);
        writer.WriteRawValue(value, skipInputValidation: true);
    }
}
