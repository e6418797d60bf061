namespace Dandelion.Publisher.Placement;

/// <summary>
/// Picks the boxes for one file: among the best-scored few (twice the number wanted, at
/// least four), "power of two choices": draw two at random, keep the one with fewer bytes
/// waiting, then fewer placed; on a tie, either. The best-scored boxes get the files, yet
/// no single box gets them all, and a slow box, whose queue grows, gets fewer.
/// </summary>
internal static class BoxChooser
{
    public static IReadOnlyList<string> Choose(IReadOnlyList<BoxCandidate> candidates, int count, Random random)
    {
        var pool = candidates.OrderByDescending(c => c.Score)
            .Take(Math.Max(count * 2, 4))
            .ToList();
        var chosen = new List<string>(count);
        while (chosen.Count < count && pool.Count > 0)
        {
            BoxCandidate pick;
            if (pool.Count == 1)
            {
                pick = pool[0];
            }
            else
            {
                var a = random.Next(pool.Count);
                var b = random.Next(pool.Count - 1);
                if (b >= a)
                    b++;
                pick = Better(pool[a], pool[b], random);
            }
            chosen.Add(pick.Id);
            pool.Remove(pick);
        }
        return chosen;
    }

    private static BoxCandidate Better(BoxCandidate x, BoxCandidate y, Random random)
    {
        if (x.PendingBytes != y.PendingBytes)
            return x.PendingBytes < y.PendingBytes ? x : y;
        if (x.PlacedBytes != y.PlacedBytes)
            return x.PlacedBytes < y.PlacedBytes ? x : y;
        return random.Next(2) == 0 ? x : y;
    }
}
