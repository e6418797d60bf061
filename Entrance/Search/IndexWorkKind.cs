namespace Dandelion.Entrance.Search;

/// <summary>What the index's apply loop is handed.</summary>
internal enum IndexWorkKind
{
    Change,
    ResyncBegin,
    ResyncBoxes,
    ResyncEnd,
    Prune,
}
