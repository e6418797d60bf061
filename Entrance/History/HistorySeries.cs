namespace Dandelion.Entrance.History;

/// <summary>
/// <c>GET /api/history</c>: the last hour in 10-second points, oldest first, as columns (uPlot's
/// shape). A point with no data (no entrance ran then) is null in every series.
/// </summary>
/// <param name="Time">Start of each point, unix seconds.</param>
/// <param name="BoxBytesPerSecond">Bytes/s boxes served (their traffic entries, as counted).</param>
/// <param name="OriginBytesPerSecond">Bytes/s publishers served themselves.</param>
/// <param name="OffloadShare">Of what publishers reported in the point, the share sent to boxes (0 to 1).</param>
internal sealed record HistorySeries(
    IReadOnlyList<long> Time,
    IReadOnlyList<long?> BoxesLive,
    IReadOnlyList<long?> BoxesDraining,
    IReadOnlyList<long?> Publishers,
    IReadOnlyList<double?> BoxBytesPerSecond,
    IReadOnlyList<double?> OriginBytesPerSecond,
    IReadOnlyList<double?> OffloadShare,
    IReadOnlyList<double?> ExchangesPerSecond,
    IReadOnlyList<double?> SearchesPerSecond);
