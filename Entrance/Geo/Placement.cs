namespace Dandelion.Entrance.Geo;

/// <summary>
/// Where the entrance puts a box (<see cref="Used"/>, with its <c>SOURCE</c>), GeoIP's answer when
/// it was not used, the owner's <c>LOCATION</c> as the entrance read it (labels cleaned, a city's
/// coordinates filled in from the gazetteer), and a note on the city's lookup when there was one.
/// </summary>
internal sealed record Placement(GeoLocation Used, GeoLocation? GeoIpUnused, StatedLocation? Stated = null, string? StatedNote = null);
