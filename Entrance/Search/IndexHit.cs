namespace Dandelion.Entrance.Search;

/// <summary>A box a search chose, copied out of the index (its record is immutable).</summary>
internal readonly record struct IndexHit(string Id, IndexRecord Record, double Kilometres, double DistancePart, double Score);
