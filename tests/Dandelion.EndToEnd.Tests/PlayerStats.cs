namespace Dandelion.EndToEnd.Tests;

/// <summary>The player page's counters (<c>window.dandelionStats</c>, Publisher/wwwroot/player.js).</summary>
internal sealed record PlayerStats(
    long Segments,
    long BoxSegments,
    long OriginSegments,
    long BoxBytes,
    long OriginBytes,
    long FailedLoads,
    IReadOnlyList<string> FatalErrors,
    IReadOnlyList<SegmentLoad> Log);
