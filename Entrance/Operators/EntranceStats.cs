namespace Dandelion.Entrance.Operators;

/// <summary>
/// <c>GET /api/stats</c>. Totals are across every entrance sharing the Redis; <c>Sweeps</c> counts
/// sweep passes of expired boxes (one entrance at a time runs them, under a lease).
/// </summary>
internal sealed record EntranceStats(
    long BoxesLive,
    long BoxesExpiredNotSwept,
    long BoxesDraining,
    int SessionsOnThisEntrance,
    long Exchanges,
    long Searches,
    long RequestsServed,
    long BytesServed,
    long Sweeps);
