namespace Dandelion.Publisher.Configuration;

/// <summary><c>Publisher:GeoIp</c>.</summary>
internal sealed class GeoIpOptions
{
    /// <summary>A MaxMind City database used to place viewers. Default none: viewers are matched by load only.</summary>
    public string? CityDatabase { get; set; }
}
