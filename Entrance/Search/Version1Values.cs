namespace Dandelion.Entrance.Search;

/// <summary>
/// A <c>BOX_SET</c> value as an original publisher can take it: it stores each value with one
/// Redis HMSET, where every field must be a string or a number (a nested object, a list, a
/// boolean or null raises <c>TypeError</c> and loses the whole SEARCH). So only the stored
/// box's string and number keys are sent; <c>GEO</c> and anything else nested stay with
/// version 2 publishers.
/// </summary>
internal static class Version1Values
{
    /// <summary>Writes the stored box <paramref name="utf8"/> as an object of its string and number keys.</summary>
    public static void WriteFlat(Utf8JsonWriter writer, ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        reader.Read();
        writer.WriteStartObject();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.Number)
            {
                writer.WritePropertyName(name);
                writer.WriteRawValue(utf8[(int)reader.TokenStartIndex..(int)reader.BytesConsumed], skipInputValidation: true);
            }
            else
            {
                reader.Skip();
            }
        }
        writer.WriteEndObject();
    }
}
