using Dandelion.Entrance.Configuration;

namespace Dandelion.Entrance.Search;

/// <summary>
/// The SEARCH score (docs/PROTOCOL.md, SEARCH): four parts in [0, 1], 1 best, and their
/// weighted sum. A part the box gives no figures for is 0.5, neither reward nor penalty.
/// </summary>
internal static class BoxScorer
{
    public const double Unknown = 0.5;

    public static ScoreParts Parts(BoxFigures box, double distanceKm) => new()
    {
        Distance = DistancePart(distanceKm),
        // Only what the entrance believes counts as free: a claim past it earns nothing, a huge one next to nothing.
        Bandwidth = box.BandwidthCeiling is { } ceiling && ceiling > 0
            ? Clamp((Math.Min(ceiling, box.BandwidthBelieved ?? ceiling) - (box.BandwidthUsed ?? 0)) / ceiling)
            : Unknown,
        // A version 1 box states no quota; its free disk is the next best sign of room.
        Storage = box.StorageQuota is > 0
            ? FreeShare(box.StorageQuota, box.StorageUsed)
            : box.DiskTotal is > 0 && box.DiskAvailable is { } available ? Clamp(available / box.DiskTotal.Value) : Unknown,
        Load = box.LoadAverage1 is { } load && box.CpuCount is { } cpus && cpus > 0 ? 1 - Math.Min(1, Math.Max(0, load) / cpus) : Unknown,
    };

    /// <summary>1 next door, 0.5 at 1,000 km, 0.09 at 10,000 km.</summary>
    public static double DistancePart(double km) => 1 / (1 + Math.Max(0, km) / 1000);

    public static double Score(ScoreParts parts, ScoreWeights weights) =>
        weights.Distance * parts.Distance + weights.Bandwidth * parts.Bandwidth +
        weights.Storage * parts.Storage + weights.Load * parts.Load;

    private static double FreeShare(double? total, double? used) =>
        total is > 0 ? Clamp((total.Value - (used ?? 0)) / total.Value) : Unknown;

    private static double Clamp(double share) => double.IsFinite(share) ? Math.Clamp(share, 0, 1) : Unknown;
}
