using Dandelion.Publisher.Placement;
using Dandelion.Shared.Geo;
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
        return Math.Floor(GeoDistance.Kilometres(viewer.Value.Lat, viewer.Value.Lon, box.Latitude, box.Longitude) / BandKm);
    }
}
