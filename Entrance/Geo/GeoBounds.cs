using Dandelion.Shared.Geo;

namespace Dandelion.Entrance.Geo;

/// <summary>
/// The least great-circle distance from a point to a latitude/longitude rectangle, on the sphere
/// <see cref="GeoDistance"/> uses, so it never exceeds the distance to any point inside (SEARCH
/// prunes whole cells with it).
/// </summary>
internal static class GeoBounds
{
    private const double Radians = Math.PI / 180;

    public static double MinKilometres(double lat, double lon, double south, double north, double west, double east)
    {
        if (lon >= west && lon <= east)
            return lat < south ? (south - lat) * Radians * GeoDistance.EarthRadiusKm
                : lat > north ? (lat - north) * Radians * GeoDistance.EarthRadiusKm
                : 0;
        // Outside the longitudes the nearest point is on one of the two meridian edges (on a
        // parallel, distance only grows away from the point's own longitude, so a corner wins).
        return Math.Min(ToMeridian(lat, lon, west, south, north), ToMeridian(lat, lon, east, south, north));
    }

    private static double ToMeridian(double lat, double lon, double meridian, double south, double north)
    {
        var dLon = Math.Abs(lon - meridian) % 360;
        if (dLon > 180)
            dLon = 360 - dLon;
        var phi = lat * Radians;
        var (sinPhi, cosPhi) = Math.SinCos(phi);
        var cosDLon = Math.Cos(dLon * Radians);
        // cos(central angle) to the meridian point at latitude x is sinφ·sin x + cosφ·cos x·cos Δλ,
        // a single hump in x peaking at x0: the best on [south, north] is x0 or an end.
        double Closeness(double x)
        {
            var (s, c) = Math.SinCos(x);
            return sinPhi * s + cosPhi * c * cosDLon;
        }
        var best = Math.Max(Closeness(south * Radians), Closeness(north * Radians));
        var x0 = Math.Atan2(sinPhi, cosPhi * cosDLon);
        if (x0 >= south * Radians && x0 <= north * Radians)
            best = Math.Max(best, Closeness(x0));
        return Math.Acos(Math.Clamp(best, -1, 1)) * GeoDistance.EarthRadiusKm;
    }
}
