using Dandelion.Shared.Protocol;

namespace Dandelion.Entrance.Geo;

/// <summary>Where the entrance puts a box (<see cref="Used"/>, with its <c>SOURCE</c>), and GeoIP's answer when it was not used.</summary>
internal sealed record Placement(GeoLocation Used, GeoLocation? GeoIpUnused);
