namespace Dandelion.Box.Node;

/// <summary>
/// <c>Box:Location</c>: where the box's owner says it is, sent in every version 2 EXCHANGE
/// as <c>LOCATION</c>. The entrance uses it when GeoIP cannot place the box or places it
/// farther away than its tolerance (docs/ENTRANCE.md, "Where a box is").
/// </summary>
internal sealed class BoxLocationOptions
{
    /// <summary>Degrees north, −85.05 to 85.05. Required with a location: nullable so that a
    /// location giving only a city is refused instead of standing at 0° 0°.</summary>
    public double? Latitude { get; set; }

    /// <summary>Degrees east, −180 to 180. Required with a location, as <see cref="Latitude"/>.</summary>
    public double? Longitude { get; set; }

    /// <summary>The city, as a label for operators. Default none.</summary>
    public string? City { get; set; }

    /// <summary>ISO country code, as a label. Default none.</summary>
    public string? Country { get; set; }
}
