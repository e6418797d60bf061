using Dandelion.Entrance.Redis;


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
    public static BoxSummary From(string id, StoredBox box, bool draining, long expiresAtMs) => new(
        id,
        box.SpokenVersion,
        draining ? "DRAINING" : "ACTIVE",
        box.Geo.Country,
        box.Geo.City,
        box.Geo.Known,
        box.ConnectWs,
        box.HttpUrl,
        DateTimeOffset.FromUnixTimeMilliseconds(expiresAtMs));
}
