namespace Dandelion.Shared.Protocol;

/// <summary>
/// Checks the keys a message kept without knowing them (<c>[JsonExtensionData]</c>). The reader
/// keeps a string's escapes as sent, so <c>"\udfff"</c> (a lone surrogate, which has no UTF-8
/// form) passes parsing and throws only when the value is read or written again. Such a message
/// is refused where it arrives instead.
/// </summary>
public static class ExtensionData
{
    public static bool IsWellFormed(Dictionary<string, JsonElement>? extra)
    {
        if (extra is null)
            return true;
        try
        {
            foreach (var value in extra.Values)
                Read(value);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    // Nesting is bounded by the reader's maximum depth (64).
    private static void Read(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                _ = element.GetString();
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    Read(property.Value);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                    Read(item);
                break;
        }
    }
}
