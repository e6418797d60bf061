namespace Dandelion.Entrance.Operators;

/// <summary>
/// <c>GET /api/stats</c>. Totals are across every entrance sharing the Redis; <c>Sweeps</c> counts
/// sweep passes of expired boxes (one entrance at a time runs them, under a lease).
/// <c>BoxesInThisEntrancesIndex</c> is what this entrance's SEARCH index holds (live boxes and
/// any expired ones not yet pruned): far below <c>BoxesLive</c> for long means the feed is behind.
/// </summary>
internal sealed record EntranceStats(
    long BoxesLive,
    long BoxesExpiredNotSwept,
    long BoxesDraining,
    int SessionsOnThisEntrance,
    int BoxesInThisEntrancesIndex,
    long Exchanges,
    long Searches,
    long RequestsServed,
    long BytesServed,
    long Sweeps);
