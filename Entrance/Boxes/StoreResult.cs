using Dandelion.Entrance.Traffic;

namespace Dandelion.Entrance.Boxes;

/// <summary>What one EXCHANGE changed: traffic counted, and the box's state changes an operator reads in the log.</summary>
/// <param name="Joined">The box was not in the expiry index before: new, or back after it was removed.</param>
/// <param name="Draining">True: it became draining; false: it became active again; null: no change.</param>
internal sealed record StoreResult(TrafficCounted? Counted, bool Joined, bool? Draining);
