namespace Dandelion.Entrance.Search;

/// <summary>
/// A latitude/longitude cell of the index: a 30° region, a 5° area or a 1° leaf (see
/// <see cref="IndexGrid"/>). Leaves hold their boxes in <see cref="Levels"/> lists by how good
/// their static score is, so a search reads the best first and stops early.
/// </summary>
internal sealed class IndexNode(IndexNode? parent, double south, double west, double size)
{
    public IndexNode? Parent { get; } = parent;
    public double South { get; } = south;
    public double West { get; } = west;
    public double North { get; } = south + size;
    public double East { get; } = west + size;

    /// <summary>Boxes in this cell (expired ones too, until pruned).</summary>
    public int Count { get; set; }

    /// <summary>At least the highest static level of any box below: an upper bound, lowered lazily.</summary>
    public int TopLevel { get; set; } = -1;

    /// <summary>Sub-cells, row-major south to north, west to east; null for a leaf.</summary>
    public IndexNode?[]? Children { get; init; }

    /// <summary>A leaf's boxes by static level (0 worst), each level in <see cref="LevelOrder"/>; null for inner cells.</summary>
    public SortedSet<IndexedBox>?[]? Levels { get; init; }
}
