namespace Dandelion.LocalNetwork;

/// <summary>A stream's offload counters as the publisher reports them (<c>GET /api/stats</c>).</summary>
public sealed record StreamFigures(long OriginRequests, long OriginBytes, long RedirectRequests, long RedirectBytes)
{
    /// <summary>Share of the stream's segment bytes that boxes served; null before any was served.</summary>
    public double? BoxShare => OriginBytes + RedirectBytes == 0 ? null : (double)RedirectBytes / (OriginBytes + RedirectBytes);
}
