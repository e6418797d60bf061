namespace Dandelion.Entrance.Traffic;

/// <summary>Bytes and requests boxes served of one file.</summary>
internal readonly record struct Served(long Bytes, long Requests);
