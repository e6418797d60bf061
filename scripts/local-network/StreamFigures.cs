namespace Dandelion.LocalNetwork;

/// <summary>
/// A stream's offload counters as the publisher reports them (<c>GET /api/stats</c>): what the
/// origin sent, the redirects to boxes, what boxes reported having served, and the publisher's
/// note when redirects and deliveries disagree.
/// </summary>
public sealed record StreamFigures(long OriginRequests, long OriginBytes, long RedirectRequests, long RedirectBytes,
    long BoxRequests = 0, long BoxBytes = 0, string? Disagreement = null)
{
    /// <summary>Share of the stream's delivered bytes that boxes served (by their reports); null before any was served.</summary>
    public double? BoxShare => OriginBytes + BoxBytes == 0 ? null : (double)BoxBytes / (OriginBytes + BoxBytes);

    /// <summary>Share of the bytes the publisher redirected to boxes rather than sent; null before any request.</summary>
    public double? RedirectShare => OriginBytes + RedirectBytes == 0 ? null : (double)RedirectBytes / (OriginBytes + RedirectBytes);
}
