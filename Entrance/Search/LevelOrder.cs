namespace Dandelion.Entrance.Search;

/// <summary>
/// The order of the boxes in one level of a leaf: best static score first, then (as ties go to
/// the smaller id) by id, so a search can stop inside a level once the next box cannot win.
/// </summary>
internal sealed class LevelOrder : IComparer<IndexedBox>
{
    public static readonly LevelOrder Instance = new();

    public int Compare(IndexedBox? x, IndexedBox? y) =>
        x!.Static != y!.Static ? y.Static.CompareTo(x.Static) : string.CompareOrdinal(x.Id, y.Id);
}
