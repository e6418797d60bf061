using Dandelion.Entrance.Configuration;
using Dandelion.Entrance.Geo;
using Dandelion.Shared.Geo;

namespace Dandelion.Entrance.Search;

/// <summary>
/// The exact best <c>count</c> boxes by the documented score, best first (ties by id), found
/// branch and bound: cells are opened best bound first, where a cell's bound is the distance
/// part of its nearest edge plus the best static level it holds, and a leaf's levels are read
/// best first, each level best static score first and ties by id; the search stops once
/// nothing left can beat the <c>count</c>-th box found, inside a level too. Its cost follows
/// what is near the searcher, not the network's size: a city of boxes at one point, alike or
/// not, costs about the <c>count</c> best of it.
/// </summary>
internal static class IndexQuery
{
    // Scores are answered rounded to 6 places: a bound this much above a score may still tie it.
    private const double Slack = 1e-6;

    [ThreadStatic] private static PriorityQueue<(IndexNode Node, double DistancePart), double>? _cells;
    [ThreadStatic] private static PriorityQueue<IndexHit, IndexHit>? _best;

    public static List<IndexHit> Find(IndexGrid grid, ScoreWeights weights, double lat, double lon, int count,
        IReadOnlySet<string> exclude, long nowMs)
    {
        var cells = _cells ??= new();
        var best = _best ??= new(WorstFirst.Instance);
        cells.Clear();
        best.Clear();
        if (count <= 0)
            return [];

        foreach (var region in grid.Regions)
            Push(region);

        while (cells.TryDequeue(out var cell, out var negativeBound))
        {
            if (best.Count == count && -negativeBound + Slack < best.Peek().Score)
                break;
            if (cell.Node.Children is { } children)
            {
                foreach (var child in children)
                {
                    if (child is not null)
                        Push(child);
                }
                continue;
            }
            var levels = cell.Node.Levels!;
            for (var level = cell.Node.TopLevel; level >= 0; level--)
            {
                if (best.Count == count && cell.DistancePart + grid.LevelTop(level) + Slack < best.Peek().Score)
                    break;
                if (levels[level] is not { } boxes)
                    continue;
                foreach (var box in boxes)
                {
                    // Best static score first, ties by id: once this box cannot beat the worst kept, no later one can.
                    if (best.Count == count && CannotWin(cell.DistancePart + box.Static, box.Id, best.Peek()))
                        break;
                    if (box.ExpiresAt <= nowMs || box.Draining || exclude.Contains(box.Id))
                        continue;
                    var km = GeoDistance.Kilometres(lat, lon, box.Latitude, box.Longitude);
                    var distancePart = BoxScorer.DistancePart(km);
                    var hit = new IndexHit(box.Id, box.Record, km, distancePart, Math.Round(weights.Distance * distancePart + box.Static, 6));
                    if (best.Count < count)
                        best.Enqueue(hit, hit);
                    else if (WorstFirst.Instance.Compare(hit, best.Peek()) > 0)
                        best.DequeueEnqueue(hit, hit);
                }
            }
        }

        var result = new List<IndexHit>(best.Count);
        while (best.TryDequeue(out var hit, out _))
            result.Add(hit);
        result.Reverse();
        return result;

        void Push(IndexNode node)
        {
            if (node.Count == 0 || node.TopLevel < 0)
                return;
            var km = GeoBounds.MinKilometres(lat, lon, node.South, node.North, node.West, node.East);
            var distancePart = weights.Distance * BoxScorer.DistancePart(km);
            var bound = distancePart + grid.LevelTop(node.TopLevel);
            if (best.Count == count && bound + Slack < best.Peek().Score)
                return;
            cells.Enqueue((node, distancePart), -bound);
        }
    }

    /// <summary>A box whose score is at most <paramref name="bound"/> cannot displace <paramref name="worst"/>: lower, or tied with a larger id.</summary>
    private static bool CannotWin(double bound, string id, IndexHit worst) =>
        bound + Slack < worst.Score || (bound <= worst.Score && string.CompareOrdinal(id, worst.Id) > 0);

    /// <summary>Orders hits worst first: lower score, then (same score) the larger id, since ties go to the smaller.</summary>
    private sealed class WorstFirst : IComparer<IndexHit>
    {
        public static readonly WorstFirst Instance = new();

        public int Compare(IndexHit x, IndexHit y) =>
            x.Score != y.Score ? x.Score.CompareTo(y.Score) : string.CompareOrdinal(y.Id, x.Id);
    }
}
