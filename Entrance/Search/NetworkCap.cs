namespace Dandelion.Entrance.Search;

/// <summary>
/// Keeps a SEARCH answer from being filled from one network (<c>Entrance:Search:MaxPerNetwork</c>):
/// hits are taken best first and a box whose network already has the cap in the answer is left
/// out, so a crowd of boxes on one /24 (or IPv6 /48) holds at most the cap however well it scores.
/// Boxes without a network (private addresses) are not limited. No cap by credential is needed:
/// a credential names one box id, so an answer holds at most one box per credential.
/// </summary>
internal static class NetworkCap
{
    /// <summary>A SEARCH ranks at most this many times the boxes it answers to fill its answer past crowded networks.</summary>
    public const int ScanFactor = 8;

    /// <summary>At most <paramref name="wanted"/> of <paramref name="ranked"/> (best first), at most <paramref name="perNetwork"/> per network; the order is kept.</summary>
    public static List<IndexHit> Apply(List<IndexHit> ranked, int perNetwork, int wanted)
    {
        var kept = new List<IndexHit>(Math.Min(ranked.Count, wanted));
        Dictionary<string, int>? counts = null;
        foreach (var hit in ranked)
        {
            if (kept.Count == wanted)
                break;
            if (hit.Record.Network is { } network)
            {
                counts ??= new(StringComparer.Ordinal);
                var held = counts.GetValueOrDefault(network);
                if (held >= perNetwork)
                    continue;
                counts[network] = held + 1;
            }
            kept.Add(hit);
        }
        return kept;
    }

    /// <summary>
    /// The best <paramref name="wanted"/> boxes under the cap: asks the index for as many, and, while
    /// crowded networks left the answer short and the index had more, for four times as many again,
    /// up to <see cref="ScanFactor"/> × <paramref name="wanted"/>; the work per SEARCH stays bounded.
    /// </summary>
    public static List<IndexHit> Find(Func<int, List<IndexHit>> find, int perNetwork, int wanted)
    {
        var ask = wanted;
        while (true)
        {
            var ranked = find(ask);
            var kept = Apply(ranked, perNetwork, wanted);
            if (kept.Count >= wanted || ranked.Count < ask || ask >= wanted * ScanFactor)
                return kept;
            ask = Math.Min(ask * 4, wanted * ScanFactor);
        }
    }
}
