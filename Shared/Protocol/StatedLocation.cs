namespace Dandelion.Shared.Protocol;

/// <summary>
/// Where a box's owner says it is (<c>LOCATION</c> in a version 2 EXCHANGE): coordinates, or a
/// city (and country) the entrance looks up in its gazetteer; given both, the coordinates win.
/// </summary>
public sealed record StatedLocation
{
    [JsonPropertyName("LAT")] public double? Latitude { get; init; }
    [JsonPropertyName("LON")] public double? Longitude { get; init; }
    [JsonPropertyName("CITY")] public string? City { get; init; }
    [JsonPropertyName("COUNTRY")] public string? Country { get; init; }

    /// <summary>Both coordinates, on the globe (Redis GEO stores latitudes to ±85.05).</summary>
    [JsonIgnore]
    public bool HasCoordinates =>
        Latitude is { } latitude && Longitude is { } longitude && double.IsFinite(latitude) && double.IsFinite(longitude)
        && latitude is >= -85.05112878 and <= 85.05112878 && longitude is >= -180 and <= 180;
}
