using System.Text.Json;

namespace Dandelion.Entrance.Operators;

/// <summary>One box as the operator API lists it.</summary>
internal sealed record BoxSummary(
    string Id,
    int Version,
    string State,
    string? Country,
    string? City,
    bool GeoKnown,
    string? ConnectWs,
    string? HttpUrl,
    DateTimeOffset ExpiresAt)
{
    public static BoxSummary From(string id, byte[] document, bool draining, long expiresAtMs)
    {
        using var parsed = JsonDocument.Parse(document);
        var root = parsed.RootElement;
        var geo = root.TryGetProperty("GEO", out var g) && g.ValueKind == JsonValueKind.Object ? g : default;
        return new BoxSummary(
            id,
            VersionOf(root),
            draining ? "DRAINING" : "ACTIVE",
            Text(geo, "COUNTRY"),
            Text(geo, "CITY"),
            geo.ValueKind == JsonValueKind.Object && geo.TryGetProperty("KNOWN", out var known) && known.ValueKind == JsonValueKind.True,
            Text(root, "CONNECT_WS"),
            Text(root, "HTTP_URL"),
            DateTimeOffset.FromUnixTimeMilliseconds(expiresAtMs));
    }

    // Stored as the box sent it: a number or a string of digits.
    private static int VersionOf(JsonElement root) =>
        root.TryGetProperty("VERSION", out var v) &&
        (v.ValueKind == JsonValueKind.Number ? v.TryGetInt32(out var n) && n >= 2 : v.ValueKind == JsonValueKind.String && int.TryParse(v.GetString(), out var t) && t >= 2)
            ? 2
            : 1;

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
