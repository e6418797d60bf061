namespace Dandelion.Shared.Geo;

/// <summary>
/// The one great-circle distance (haversine) of all three apps, with the Earth radius Redis GEO
/// uses, so the entrance's ranking, Redis and the publisher's choice of holder agree.
/// </summary>
public static class GeoDistance
{
    public const double EarthRadiusKm = 6372.797560856;

    public static double Kilometres(double lat1, double lon1, double lat2, double lon2)
    {
        static double Radians(double degrees) => degrees * Math.PI / 180;
        var dLat = Radians(lat2 - lat1);
        var dLon = Radians(lon2 - lon1);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) +
                Math.Cos(Radians(lat1)) * Math.Cos(Radians(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}
