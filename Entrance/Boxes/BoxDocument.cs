using System.Buffers;
using System.Text.Json;
using Dandelion.Entrance.Traffic;
using Dandelion.Shared.Protocol;

namespace Dandelion.Entrance.Boxes;

/// <summary>
/// What is stored for a box and answered in <c>BOX_SET</c>: its last EXCHANGE as it sent it,
/// without traffic entries (counted separately) or its token (a credential), with the
/// <c>GEO</c> the entrance computed in place of anything the box claimed.
/// </summary>
internal static class BoxDocument
{
    public static byte[] Write(JsonElement exchange, GeoLocation geo)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in exchange.EnumerateObject())
            {
                if (property.NameEquals("TRAFFIC") || property.NameEquals("TOKEN") || property.NameEquals("GEO") ||
                    TrafficBatch.IsTrafficKey(property.Name))
                    continue;
                property.WriteTo(writer);
            }
            writer.WritePropertyName("GEO");
            JsonSerializer.Serialize(writer, geo, ProtocolJsonContext.Default.GeoLocation);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
