namespace Dandelion.Entrance.Traffic;

/// <summary>What one EXCHANGE's traffic did: the box's mark after it, and what it added.</summary>
internal readonly record struct TrafficCounted(long Mark, long Requests, long Bytes);
