namespace Dandelion.EntranceLoad;

/// <summary>Where boxes stand: big cities of every continent (GeoIP places a household at its city).</summary>
internal static class Places
{
    public static readonly (double Lat, double Lon)[] Cities =
    [
        (52.52, 13.40), (48.86, 2.35), (51.51, -0.13), (40.42, -3.70), (41.90, 12.50), (52.23, 21.01), (59.33, 18.07), (55.76, 37.62),
        (41.01, 28.98), (50.45, 30.52), (30.04, 31.24), (6.52, 3.38), (-1.29, 36.82), (-26.20, 28.05), (-33.92, 18.42), (33.57, -7.59),
        (35.68, 139.69), (37.57, 126.98), (39.90, 116.40), (31.23, 121.47), (22.32, 114.17), (1.35, 103.82), (13.76, 100.50), (14.60, 120.98),
        (-6.21, 106.85), (28.61, 77.21), (19.08, 72.88), (12.97, 77.59), (24.86, 67.01), (23.81, 90.41), (35.69, 51.39), (25.20, 55.27),
        (40.71, -74.01), (34.05, -118.24), (41.88, -87.63), (29.76, -95.37), (43.65, -79.38), (45.50, -73.57), (19.43, -99.13), (4.71, -74.07),
        (-12.05, -77.04), (-23.55, -46.63), (-22.91, -43.17), (-34.60, -58.38), (-33.45, -70.67), (-33.87, 151.21), (-37.81, 144.96), (-36.85, 174.76),
        (64.15, -21.94), (60.17, 24.94), (47.50, 19.04), (44.43, 26.10), (38.72, -9.14), (53.35, -6.26), (45.46, 9.19), (37.98, 23.73),
        (21.03, 105.85), (3.14, 101.69), (-4.44, 15.27), (9.03, 38.74), (-18.88, 47.51), (61.22, -149.90), (21.31, -157.86), (49.28, -123.12),
    ];

    /// <summary>A household somewhere: a city with up to ~50 km around it.</summary>
    public static (double Lat, double Lon) Globe(Random random)
    {
        var (lat, lon) = Cities[random.Next(Cities.Length)];
        return (lat + (random.NextDouble() - 0.5) * 0.9, lon + (random.NextDouble() - 0.5) * 0.9);
    }

    /// <summary>All in Berlin: most at the city's GeoIP point, the rest within ~15 km.</summary>
    public static (double Lat, double Lon) City(Random random) =>
        random.Next(3) == 0 ? (52.52 + (random.NextDouble() - 0.5) * 0.25, 13.40 + (random.NextDouble() - 0.5) * 0.4) : (52.52, 13.405);
}
