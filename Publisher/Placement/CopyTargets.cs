using Dandelion.Publisher.Boxes;

namespace Dandelion.Publisher.Placement;

/// <summary>
/// Which open boxes get new copies of a file. Boxes viewers can be sent to (they have a file
/// URL) fill what <c>Replication</c> still needs; only when too few of those are open do boxes
/// without one (original, version 1 boxes) take the shortfall, at most <c>room</c> copies,
/// which never count toward <c>Replication</c>.
/// </summary>
internal static class CopyTargets
{
    public static List<string> Choose(IReadOnlyList<BoxSession> open, int need, int room, Random random)
    {
        var chosen = BoxChooser.Choose(Candidates(open, serving: true), need, random).ToList();
        var extra = Math.Min(need - chosen.Count, room);
        if (extra > 0)
            chosen.AddRange(BoxChooser.Choose(Candidates(open, serving: false), extra, random));
        return chosen;
    }

    private static List<BoxCandidate> Candidates(IEnumerable<BoxSession> open, bool serving) =>
        open.Where(s => s.HttpUrl is not null == serving)
            .Select(s => new BoxCandidate(s.Id, s.Box.Score, s.PendingBytes, s.PlacedBytes))
            .ToList();
}
