namespace Dandelion.Shared.Protocol;

/// <summary>
/// Where GeoIP places an address. <see cref="Known"/> is false when the database had no
/// answer; the coordinates are then the operator's configured default.
/// </summary>
public sealed record GeoLocation
{
    [JsonPropertyName("KNOWN")] public bool Known { get; init; }
    [JsonPropertyName("COUNTRY")] public string? Country { get; init; }
    [JsonPropertyName("CITY")] public string? City { get; init; }
    [JsonPropertyName("REGION")] public string? Region { get; init; }
    [JsonPropertyName("LAT")] public double Latitude { get; init; }
    [JsonPropertyName("LON")] public double Longitude { get; init; }
    [JsonPropertyName("ORG")] public string? Organization { get; init; }
    /// <summary>How the place was decided (<see cref="PlaceSources"/>); version 2 only.</summary>
    [JsonPropertyName("SOURCE")] public string? Source { get; init; }
}

/// <summary>A point a publisher may give in SEARCH instead of its own address.</summary>
public sealed record GeoPoint
{
    [JsonPropertyName("LAT")] public double Latitude { get; init; }
    [JsonPropertyName("LON")] public double Longitude { get; init; }
}
