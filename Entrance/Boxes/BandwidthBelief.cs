namespace Dandelion.Entrance.Boxes;

/// <summary>
/// What the heartbeat script needs to work out the bandwidth the entrance believes a box has
/// (<c>BANDWIDTH-BELIEVED</c>, docs/PROTOCOL.md, SEARCH score): min(<paramref name="Max"/>,
/// <paramref name="NewBox"/> + <see cref="Headroom"/> × the bytes/s it served over the last
/// <see cref="Window"/>). <paramref name="Ceiling"/> is what the box claims, to rewrite its
/// record only when the belief moves its score.
/// </summary>
internal sealed record BandwidthBelief(long? Ceiling, long NewBox, long Max)
{
    /// <summary>A box is believed to have room for this many times what it served lately.</summary>
    public const int Headroom = 2;

    /// <summary>The served rate is the bytes counted, each weighed e^(−age / Window), over Window: a steady rate reads as itself.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
}
