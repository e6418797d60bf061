namespace Dandelion.Publisher.Media;

/// <summary>One stream's offload: requests and bytes served by the origin and sent to boxes, and the share boxes took.</summary>
internal sealed record StreamStats(long OriginRequests, long OriginBytes, long RedirectRequests, long RedirectBytes, double OffloadRatio);
