using Dandelion.Entrance.Traffic;

namespace Dandelion.Entrance.Boxes;

/// <summary>What one EXCHANGE's write did, and the box's state changes an operator reads in the log.</summary>
/// <param name="Written">The stored box was rewritten (and published whole on the feed).</param>
/// <param name="Sequence">The feed number of what it published; 0 when it published nothing.</param>
/// <param name="Counted">The traffic counted, when the exchange asked for it.</param>
/// <param name="Joined">The box was not in the expiry index before: new, or back after it was removed.</param>
/// <param name="Draining">True: it became draining; false: it became active again; null: no change.</param>
internal sealed record StoreOutcome(bool Written, long Sequence, TrafficCounted? Counted, bool Joined = false, bool? Draining = null);
