using Dandelion.Publisher.Placement;
using Dandelion.Shared.Protocol;

namespace Dandelion.Publisher.Media;

/// <summary>
/// Orders a file's holders for one viewer: nearest first (by the viewer's GeoIP place and
/// the box's place as the entrance gave it, in 100 km bands so that near-equal distances
/// do not decide), then the box that was sent fewest viewers. Without a place for the
/// viewer, load alone decides.
/// </summary>
internal static class HolderChooser
{
    private const double BandKm = 100;

    public static IReadOnlyList<Holder> Order(IReadOnlyList<Holder> holders, (double Lat, double Lon)? viewer,
        Func<string, GeoLocation?> placeOf, Func<string, long> redirectsOf) =>
        holders
            .OrderBy(h => Band(viewer, placeOf(h.BoxId)))
            .ThenBy(h => redirectsOf(h.BoxId))
            .ThenBy(h => h.BoxId, StringComparer.Ordinal)
            .ToList();

    private static double Band((double Lat, double Lon)? viewer, GeoLocation? box)
    {
        if (viewer is null)
            return 0;
        if (box is not { Known: true })
            return double.MaxValue;
        return Math.Floor(DistanceKm(viewer.Value.Lat, viewer.Value.Lon, box.Latitude, box.Longitude) / BandKm);
    }

    /// <summary>Great-circle distance (haversine, mean Earth radius).</summary>
    public static double DistanceKm(double lat1, double lon1, double lat2, double lon2)
    {
        const double radiusKm = 6371.0;
        static double Radians(double degrees) => degrees * Math.PI / 180;
        var dLat = Radians(lat2 - lat1);
        var dLon = Radians(lon2 - lon1);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) +
                Math.Cos(Radians(lat1)) * Math.Cos(Radians(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * radiusKm * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}
