using Dandelion.Entrance.Traffic;

namespace Dandelion.Entrance.Boxes;

/// <summary>Everything one EXCHANGE writes to Redis.</summary>
/// <param name="SessionField">This version 2 session's field in the box's sessions hash; null for version 1.</param>
/// <param name="Draining">The box's own <c>STATE</c>: true draining, false active, null not said (version 1).</param>
/// <param name="Name">The box's cleaned <c>NAME</c>; null when it sent none (version 1).</param>
internal sealed record BoxUpdate(
    string BoxId,
    string? Name,
    byte[] Document,
    double Latitude,
    double Longitude,
    long FreeBandwidth,
    bool? Draining,
    string? SessionField,
    TrafficBatch Traffic,
    DateTimeOffset Now)
{
    /// <summary>Silence after which the box is forgotten; null: <c>Entrance:Expiry</c>. A version 1 box has <c>Entrance:Version1Expiry</c>.</summary>
    public TimeSpan? Expiry { get; init; }
}
