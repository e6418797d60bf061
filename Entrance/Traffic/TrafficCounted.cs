namespace Dandelion.Entrance.Traffic;

/// <summary>What one EXCHANGE's traffic did: the box's mark after it, and what it added.</summary>
/// <param name="Flags">One character per entry of the batch, in order: <c>1</c> counted by this EXCHANGE, <c>0</c> not.</param>
internal readonly record struct TrafficCounted(long Mark, long Requests, long Bytes, string? Flags = null);
