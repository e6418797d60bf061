namespace Dandelion.Box.Node;

/// <summary>
/// <c>Box:Location</c>: where the box's owner says it is, sent in every version 2 EXCHANGE
/// as <c>LOCATION</c>. The entrance uses it when GeoIP cannot place the box or places it
/// farther away than its tolerance (docs/ENTRANCE.md, "Where a box is").
/// </summary>
internal sealed class BoxLocationOptions
{
    /// <summary>Degrees north, −85.05 to 85.05. Both coordinates or neither: nullable so that a
    /// location giving one is refused instead of standing on the equator or the meridian.</summary>
    public double? Latitude { get; set; }

    /// <summary>Degrees east, −180 to 180. Set with <see cref="Latitude"/> or not at all.</summary>
    public double? Longitude { get; set; }

    /// <summary>The city. Without coordinates the entrance looks it up in its gazetteer (the
    /// coordinates win when both are given, the city then a label). Default none.</summary>
    public string? City { get; set; }

    /// <summary>ISO country code: narrows the city's lookup, and a label. Default none.</summary>
    public string? Country { get; set; }
}
