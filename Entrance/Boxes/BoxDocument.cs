using System.Buffers;
using System.Text.Json;
using Dandelion.Entrance.Geo;
using Dandelion.Entrance.Traffic;
using Dandelion.Shared.Protocol;

namespace Dandelion.Entrance.Boxes;

/// <summary>
/// What is stored for a box and answered in <c>BOX_SET</c>: its last EXCHANGE as it sent it,
/// without traffic entries (counted separately) or its token (a credential), with the
/// <c>GEO</c> the entrance computed in place of anything the box claimed (and <c>GEOIP</c>,
/// GeoIP's answer, when the owner's <c>LOCATION</c> was used instead), and <c>NAME</c> cleaned
/// (<see cref="NodeName"/>).
/// </summary>
internal static class BoxDocument
{
    public static byte[] Write(JsonElement exchange, Placement placement, string? name)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in exchange.EnumerateObject())
            {
                if (property.NameEquals("TRAFFIC") || property.NameEquals("TOKEN") || property.NameEquals("GEO") ||
                    property.NameEquals("GEOIP") || property.NameEquals("NAME") || TrafficBatch.IsTrafficKey(property.Name))
                    continue;
                property.WriteTo(writer);
            }
            writer.WritePropertyName("GEO");
            JsonSerializer.Serialize(writer, placement.Used, ProtocolJsonContext.Default.GeoLocation);
            if (placement.GeoIpUnused is { } geoIp)
            {
                writer.WritePropertyName("GEOIP");
                JsonSerializer.Serialize(writer, geoIp, ProtocolJsonContext.Default.GeoLocation);
            }
            if (name is not null)
                writer.WriteString("NAME", name);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
