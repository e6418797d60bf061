using Dandelion.Entrance.Traffic;

namespace Dandelion.Entrance.Boxes;

/// <summary>What one EXCHANGE's write did.</summary>
/// <param name="Written">The stored box was rewritten (and published whole on the feed).</param>
/// <param name="Sequence">The feed number of what it published; 0 when it published nothing.</param>
/// <param name="Counted">The traffic counted, when the exchange asked for it.</param>
internal sealed record StoreOutcome(bool Written, long Sequence, TrafficCounted? Counted);
