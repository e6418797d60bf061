namespace Dandelion.Entrance.Geo;

/// <summary>Great-circle distance, with the Earth radius Redis GEO uses so both agree.</summary>
internal static class GeoDistance
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

    /// <summary>Redis GEO refuses latitudes beyond ±85.05112878 (Web Mercator).</summary>
    public static double ClampLatitude(double latitude) => Math.Clamp(latitude, -85.05112878, 85.05112878);
}
