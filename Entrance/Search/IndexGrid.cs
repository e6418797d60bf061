namespace Dandelion.Entrance.Search;

/// <summary>
/// Where every indexed box stands: 72 regions of 30°, each of 36 areas of 5°, each of 25
/// leaves of 1°, created when a box first lands in them. A leaf keeps its boxes in
/// <see cref="Levels"/> lists by static score (the part of the score that does not depend on
/// the searcher), so inserting, moving or rescoring a box costs O(1). Not thread-safe: the
/// index's lock guards it.
/// </summary>
internal sealed class IndexGrid
{
    /// <summary>Static score levels per leaf: a level's boxes are within 1/64 of the weights' sum of each other.</summary>
    public const int Levels = 64;

    private const double RegionSize = 30;
    private const double AreaSize = 5;
    private const double LeafSize = 1;

    private readonly double _staticSum;

    public IndexGrid(double staticSum)
    {
        _staticSum = staticSum;
        Regions = new IndexNode[12 * 6];
        for (var row = 0; row < 6; row++)
        {
            for (var column = 0; column < 12; column++)
                Regions[row * 12 + column] = new IndexNode(null, -90 + row * RegionSize, -180 + column * RegionSize, RegionSize)
                {
                    Children = new IndexNode?[36],
                };
        }
    }

    public IndexNode[] Regions { get; }

    /// <summary>The best static score a box of <paramref name="level"/> can have.</summary>
    public double LevelTop(int level) => _staticSum * (level + 1) / Levels;

    public int LevelOf(double staticScore) =>
        _staticSum <= 0 ? 0 : Math.Clamp((int)(staticScore / _staticSum * Levels), 0, Levels - 1);

    public void Insert(IndexedBox box)
    {
        var lat = Math.Clamp(box.Latitude, -90, 90 - 1e-9);
        var lon = Math.Clamp(box.Longitude, -180, 180 - 1e-9);
        var region = Regions[(int)((lat + 90) / RegionSize) * 12 + (int)((lon + 180) / RegionSize)];
        var area = Child(region, lat, lon, AreaSize, 6, leaf: false);
        var leaf = Child(area, lat, lon, LeafSize, 5, leaf: true);
        box.Leaf = leaf;
        box.Level = LevelOf(box.Static);
        (leaf.Levels![box.Level] ??= new SortedSet<IndexedBox>(LevelOrder.Instance)).Add(box);
        for (var node = leaf; node is not null; node = node.Parent)
        {
            node.Count++;
            node.TopLevel = Math.Max(node.TopLevel, box.Level);
        }
    }

    public void Remove(IndexedBox box)
    {
        if (box.Leaf is not { } leaf)
            return;
        leaf.Levels![box.Level]!.Remove(box); // found by its Static and Id, unchanged since it was inserted
        for (var node = leaf; node is not null; node = node.Parent)
            node.Count--;
        box.Leaf = null;
    }

    /// <summary>Lowers every cell's <see cref="IndexNode.TopLevel"/> to what it holds now (after removals and rescoring).</summary>
    public void Tighten()
    {
        foreach (var region in Regions)
            Tighten(region);
    }

    private static int Tighten(IndexNode node)
    {
        var top = -1;
        if (node.Levels is { } levels)
        {
            for (var level = levels.Length - 1; level >= 0 && top < 0; level--)
            {
                if (levels[level] is { Count: > 0 })
                    top = level;
            }
        }
        else
        {
            foreach (var child in node.Children!)
            {
                if (child is { Count: > 0 })
                    top = Math.Max(top, Tighten(child));
            }
        }
        node.TopLevel = top;
        return top;
    }

    private static IndexNode Child(IndexNode parent, double lat, double lon, double size, int across, bool leaf)
    {
        var row = Math.Min(across - 1, (int)((lat - parent.South) / size));
        var column = Math.Min(across - 1, (int)((lon - parent.West) / size));
        return parent.Children![row * across + column] ??= new IndexNode(parent, parent.South + row * size, parent.West + column * size, size)
        {
            Children = leaf ? null : new IndexNode?[25],
            Levels = leaf ? new SortedSet<IndexedBox>?[Levels] : null,
        };
    }
}
