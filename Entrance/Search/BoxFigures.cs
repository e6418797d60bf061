using Dandelion.Entrance.Redis;

namespace Dandelion.Entrance.Search;

/// <summary>The figures of a stored box that its score is made of; null where the box did not say.</summary>
internal sealed record BoxFigures
{
    public double Latitude { get; init; }
    public double Longitude { get; init; }
    public double? BandwidthCeiling { get; init; }
    public double? BandwidthUsed { get; init; }

    /// <summary>What the entrance believes the box has (<c>BANDWIDTH-BELIEVED</c>); null: no belief written, the claim stands.</summary>
    public double? BandwidthBelieved { get; init; }
    public double? StorageQuota { get; init; }
    public double? StorageUsed { get; init; }
    public double? DiskTotal { get; init; }
    public double? DiskAvailable { get; init; }
    public double? LoadAverage1 { get; init; }
    public double? CpuCount { get; init; }

    /// <summary>Reads a stored box (version 1 figures are text, as the original sends them).</summary>
    public static BoxFigures Of(StoredBox box) => new()
    {
        Latitude = box.Geo.Latitude,
        Longitude = box.Geo.Longitude,
        BandwidthCeiling = box.BandwidthCeiling,
        BandwidthUsed = box.BandwidthUsed,
        BandwidthBelieved = box.BandwidthBelieved,
        StorageQuota = box.StorageQuota,
        StorageUsed = box.StorageUsed,
        DiskTotal = Number(box.DiskTotal),
        DiskAvailable = Number(box.DiskAvailable),
        LoadAverage1 = Number(box.LoadAverage1),
        CpuCount = Number(box.CpuNum),
    };

    private static double? Number(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;
}
