using Dandelion.Entrance.Redis;

using Dandelion.Entrance.Traffic;

namespace Dandelion.Entrance.Boxes;

/// <summary>Everything one EXCHANGE may write to Redis.</summary>
/// <param name="Record">The <see cref="StoredBox"/>, serialized; written only when <paramref name="Change"/> says so.</param>
/// <param name="SessionField">This version 2 session's field in the box's sessions hash; null for version 1.</param>
/// <param name="Draining">The box's own <c>STATE</c>: true draining, false active, null not said (version 1).</param>
/// <param name="Belief">What the heartbeat script needs to work out <c>BANDWIDTH-BELIEVED</c>; null writes none (tools and tests that store records directly).</param>
/// <param name="Expiry">How long the box stays live after this EXCHANGE (version 1 and 2 differ).</param>
internal sealed record BoxUpdate(
    string BoxId,
    byte[] Record,
    BoxChange Change,
    bool? Draining,
    string? SessionField,
    TrafficBatch Traffic,
    TimeSpan Expiry,
    DateTimeOffset Now,
    BandwidthBelief? Belief = null);
