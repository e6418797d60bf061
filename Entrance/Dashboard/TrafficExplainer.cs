namespace Dandelion.Entrance.Dashboard;

/// <summary>
/// Says in one sentence why a box gets little or no traffic, from what the entrance knows:
/// its heartbeat, state, storage, bandwidth, version, and how it ranked in recent SEARCHes.
/// The first reason that holds wins, most decisive first.
/// </summary>
internal static class TrafficExplainer
{
    /// <summary>Below this distance part (about 2,300 km away) a box is called far.</summary>
    public const double FarDistancePart = 0.3;
    /// <summary>Below this bandwidth part (under a fifth of its ceiling free) a box is called short of upload.</summary>
    public const double LowBandwidthPart = 0.2;

    public static TrafficExplanation Explain(NetworkBox box, DateTimeOffset now, TimeSpan heartbeat)
    {
        var silent = now - box.LastHeartbeatAt;
        if (silent > 2 * heartbeat + TimeSpan.FromSeconds(1))
            return new("not-answering", F($"Not answering: its last heartbeat was {silent.TotalSeconds:0} s ago (every {heartbeat.TotalSeconds:0.#} s expected); it is dropped at {box.ExpiresAt:HH:mm:ss} UTC unless it speaks."));
        if (box.State == "DRAINING")
            return new("draining", "Draining: SEARCH no longer offers it, so publishers put nothing new on it; it serves only what it holds.");
        if (box.StorageQuota is > 0 && box.StorageUsed >= box.StorageQuota * 0.95)
            return new("full", F($"Full: {Percent(box.StorageUsed!.Value, box.StorageQuota.Value)} of its storage is used, so it refuses new files until old ones expire."));
        if (box.BandwidthCeiling is > 0 && box.BandwidthUsed >= box.BandwidthCeiling * 0.9)
            return new("at-ceiling", F($"At its upload ceiling: sending {Percent(box.BandwidthUsed!.Value, box.BandwidthCeiling.Value)} of the {box.BandwidthCeiling / 1000:0} kB/s its owner allows, so it ranks below boxes with room."));
        var last = box.Searches.Last;
        var seen = box.Searches.Seen;
        var chosen = box.Searches.Chosen;
        if (seen > 0 && chosen > 0 && box.BytesServed > 0)
            return new("serving", F($"Serving: offered in {chosen} of the {seen} recent searches it was a candidate in{(last is null ? "" : $", last ranked {last.Rank} of {last.Of}")}."));
        if (last is not null && !last.Chosen || seen > 0 && chosen == 0)
        {
            if (last is not null && last.Parts.Distance < FarDistancePart)
                return new("far", F($"Far: {last.DistanceKm:0} km from the publisher that last searched, so nearer boxes rank first (ranked {last.Rank} of {last.Of})."));
            if (last is not null && last.Parts.Bandwidth < LowBandwidthPart)
                return new("low-bandwidth", F($"Little free upload: its bandwidth part scored {last.Parts.Bandwidth:0.00} of 1, so boxes with more room rank first (ranked {last.Rank} of {last.Of})."));
            if (box.Version < 2)
                return new("version-1", "Version 1 (original) box: it reports no quota or upload figures, so it scores neutral on them and ranks below version 2 boxes that do well.");
            return new("ranked-low", F($"Ranked below others: offered in {chosen} of the {seen} searches it was a candidate in{(last is null ? "" : $" (score {last.Score:0.00}, ranked {last.Rank} of {last.Of})")}."));
        }
        if (seen == 0)
        {
            if (box.Version < 2)
                return new("version-1", "Version 1 (original) box: no publisher has searched since it joined; when one does, it scores neutral on figures it does not report.");
            return new("not-searched", "No publisher has searched since it joined: it is offered at the next SEARCH.");
        }
        return new("serving", F($"Offered in {chosen} of the {seen} recent searches it was a candidate in; no viewer traffic counted yet."));
    }

    private static string Percent(long part, long whole) => ((double)part / whole).ToString("P0", CultureInfo.InvariantCulture);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
