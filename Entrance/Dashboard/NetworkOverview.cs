using Dandelion.Entrance.Boxes;
using Dandelion.Entrance.Operators;

namespace Dandelion.Entrance.Dashboard;

/// <summary><c>GET /api/network</c>: everything the operator dashboard draws, in one answer.</summary>
internal sealed record NetworkOverview(
    DateTimeOffset At,
    double HeartbeatSeconds,
    double ExpirySeconds,
    EntranceStats Stats,
    int BoxesShown,
    IReadOnlyList<NetworkBox> Boxes,
    IReadOnlyList<GoneBox> Gone);
