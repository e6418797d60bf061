using Dandelion.Entrance.Operators;
using Dandelion.Entrance.Publishers;

namespace Dandelion.Entrance.Dashboard;

/// <summary><c>GET /api/network</c>: everything the operator dashboard draws, in one answer (the charts come from <c>/api/history</c>).</summary>
/// <param name="Stats">Totals since the network began, departed boxes included (<see cref="LiveTotals"/> are the live boxes' alone).</param>
internal sealed record NetworkOverview(
    DateTimeOffset At,
    double HeartbeatSeconds,
    double ExpirySeconds,
    EntranceStats Stats,
    LiveTotals LiveTotals,
    OffloadTotals Offload,
    int BoxesShown,
    IReadOnlyList<NetworkBox> Boxes,
    IReadOnlyList<GoneBox> Gone,
    IReadOnlyList<PublisherRecord> Publishers);

/// <summary>Sums over the live boxes shown: what they hold, send now, and served so far.</summary>
internal sealed record LiveTotals(long StorageUsed, long UploadBytesPerSecond, long RequestsServed, long BytesServed);

/// <summary>What live publishers reported serving: from their own disk (origin) and through boxes, and the boxes' share.</summary>
internal sealed record OffloadTotals(long OriginBytes, long BoxBytes, double? Share, int Streams);
