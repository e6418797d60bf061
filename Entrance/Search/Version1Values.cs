using System.Buffers;
using System.Text.Json;

namespace Dandelion.Entrance.Search;

/// <summary>
/// A <c>BOX_SET</c> value as an original publisher can take it: it stores each value with one
/// Redis HMSET, where every field must be a string or a number (a nested object, a list, a
/// boolean or null raises <c>TypeError</c> and loses the whole SEARCH). So only the stored
/// EXCHANGE's string and number keys are sent; <c>GEO</c> and anything else nested stay with
/// version 2 publishers.
/// </summary>
internal static class Version1Values
{
    public static JsonElement Flat(JsonElement document)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in document.EnumerateObject())
            {
                if (property.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                    property.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        return JsonElement.ParseValue(ref reader);
    }
}
