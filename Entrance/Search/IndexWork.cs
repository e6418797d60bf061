namespace Dandelion.Entrance.Search;

/// <summary>One item for the index's apply loop: a feed change, a step of a bucket's resync, or a prune.</summary>
internal readonly record struct IndexWork(
    IndexWorkKind Kind,
    int Bucket,
    FeedChange? Change = null,
    long Sequence = 0,
    int Generation = 0,
    IReadOnlyList<SnapshotBox>? Boxes = null);
