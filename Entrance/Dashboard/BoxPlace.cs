namespace Dandelion.Entrance.Dashboard;

/// <summary>
/// Where the entrance put a box and how it decided (<see cref="PlaceSources"/>), beside what
/// its owner stated (with how a stated city was looked up) and what GeoIP said when that was
/// not used: the dashboard shows both.
/// </summary>
internal sealed record BoxPlace(double Latitude, double Longitude, string? City, string? Country, string Source,
    StatedLocation? Stated, GeoLocation? GeoIp, string? StatedNote = null);
