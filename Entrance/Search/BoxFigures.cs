using System.Globalization;
using System.Text.Json;

namespace Dandelion.Entrance.Search;

/// <summary>The figures of a stored box that its score is made of; null where the box did not say.</summary>
internal sealed record BoxFigures
{
    public double Latitude { get; init; }
    public double Longitude { get; init; }
    public double? BandwidthCeiling { get; init; }
    public double? BandwidthUsed { get; init; }
    public double? StorageQuota { get; init; }
    public double? StorageUsed { get; init; }
    public double? DiskTotal { get; init; }
    public double? DiskAvailable { get; init; }
    public double? LoadAverage1 { get; init; }
    public double? CpuCount { get; init; }

    /// <summary>Reads a stored box document (values are numbers or strings, as boxes send them).</summary>
    public static BoxFigures Read(JsonElement box)
    {
        double latitude = 0, longitude = 0;
        if (box.TryGetProperty("GEO", out var geo) && geo.ValueKind == JsonValueKind.Object)
        {
            latitude = Number(geo, "LAT") ?? 0;
            longitude = Number(geo, "LON") ?? 0;
        }
        return new BoxFigures
        {
            Latitude = latitude,
            Longitude = longitude,
            BandwidthCeiling = Number(box, "BANDWIDTH-CEILING"),
            BandwidthUsed = Number(box, "BANDWIDTH-USED"),
            StorageQuota = Number(box, "STORAGE-QUOTA"),
            StorageUsed = Number(box, "STORAGE-USED"),
            DiskTotal = Number(box, "DISK-TOTAL"),
            DiskAvailable = Number(box, "DISK-AVAIL"),
            LoadAverage1 = Number(box, "LOADAVG-1"),
            CpuCount = Number(box, "CPU-NUM"),
        };
    }

    private static double? Number(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
            return null;
        var parsed = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => double.NaN,
        };
        return double.IsFinite(parsed) ? parsed : null;
    }
}
