using System.Globalization;

namespace Dandelion.LocalNetwork;

/// <summary>
/// One look at the network: boxes live at the entrance (-1: no answer), box processes running,
/// segments the publisher has on boxes now (-1: no answer), whether the playlist is served, the
/// offload counters, and processes that exited.
/// </summary>
public sealed record NetworkSnapshot(
    long BoxesLive,
    int BoxesRunning,
    int SegmentsPlaced,
    bool PlaylistServed,
    StreamFigures Stream,
    IReadOnlyList<string> Exited)
{
    /// <summary>
    /// The progress line: <c>boxes 3/3 live · 5 segments on boxes · 12 segment requests, 98.4 % delivered by boxes (redirected 99.0 %)</c>;
    /// the delivered share is what boxes reported serving, the redirected one what the publisher pointed at them,
    /// and a gap between the two is said (box fetches that failed, or reports still on their way).
    /// </summary>
    public override string ToString()
    {
        var boxes = BoxesLive < 0 ? "entrance not answering" : $"boxes {BoxesLive}/{BoxesRunning} live";
        var placed = SegmentsPlaced < 0 ? "publisher not answering" : $"{SegmentsPlaced} segment{(SegmentsPlaced == 1 ? "" : "s")} on boxes";
        var served = Stream.OriginRequests + Stream.RedirectRequests;
        var share = Stream.RedirectShare is { } r ? string.Create(CultureInfo.InvariantCulture,
            $"{(Stream.BoxShare ?? 0) * 100:0.0} % delivered by boxes (redirected {r * 100:0.0} %){(Stream.Disagreement is null ? "" : ": figures disagree")}") : "none yet";
        var viewers = PlaylistServed ? $"{served} segment requests, {share}" : "stream not served yet";
        var exited = Exited.Count > 0 ? $" · exited: {string.Join(", ", Exited)}" : "";
        return $"{boxes} · {placed} · {viewers}{exited}";
    }
}
