namespace Dandelion.Publisher.Telemetry;

/// <summary>
/// One stream's offload. <c>Origin*</c>: what the publisher itself sent (bytes written to
/// viewers, not file sizes). <c>Box*</c>: what boxes reported having served (their access-log
/// traffic, handed back by the entrance in SEARCH). <c>OffloadRatio</c> = box bytes / (box +
/// origin bytes). <c>Redirect*</c> and <c>RedirectRatio</c>: the 302s sent and the sizes of the
/// files they pointed at, a separate figure: a redirect is not a delivery. <c>Disagreement</c>
/// says in words when redirected and delivered box bytes differ by more than
/// <see cref="OffloadStats.Tolerance"/> of the larger.
/// </summary>
internal sealed record StreamStats(
    long OriginRequests,
    long OriginBytes,
    long RedirectRequests,
    long RedirectBytes,
    double OffloadRatio,
    long BoxRequests = 0,
    long BoxBytes = 0,
    double RedirectRatio = 0,
    string? Disagreement = null);
