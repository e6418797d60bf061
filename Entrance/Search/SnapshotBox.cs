namespace Dandelion.Entrance.Search;

/// <summary>A live box as a resync read it from Redis.</summary>
internal readonly record struct SnapshotBox(string Id, long ExpiresAt, bool Draining, IndexRecord Record);
