using System.Text.Json.Serialization;

namespace Dandelion.Shared.Protocol;

/// <summary>Where a box's owner says it is (<c>LOCATION</c> in a version 2 EXCHANGE): coordinates, and the city as a label.</summary>
public sealed record StatedLocation
{
    [JsonPropertyName("LAT")] public double Latitude { get; init; }
    [JsonPropertyName("LON")] public double Longitude { get; init; }
    [JsonPropertyName("CITY")] public string? City { get; init; }
    [JsonPropertyName("COUNTRY")] public string? Country { get; init; }

    /// <summary>Coordinates on the globe (Redis GEO stores latitudes to ±85.05).</summary>
    [JsonIgnore]
    public bool IsValid =>
        double.IsFinite(Latitude) && double.IsFinite(Longitude) && Latitude is >= -85.05112878 and <= 85.05112878 && Longitude is >= -180 and <= 180;
}
