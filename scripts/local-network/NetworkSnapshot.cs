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
    /// <summary>The progress line: <c>boxes 3/3 live · 5 segments on boxes · 12 served, 98.4 % by boxes</c>.</summary>
    public override string ToString()
    {
        var boxes = BoxesLive < 0 ? "entrance not answering" : $"boxes {BoxesLive}/{BoxesRunning} live";
        var placed = SegmentsPlaced < 0 ? "publisher not answering" : $"{SegmentsPlaced} segment{(SegmentsPlaced == 1 ? "" : "s")} on boxes";
        var served = Stream.OriginRequests + Stream.RedirectRequests;
        var share = Stream.BoxShare is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s * 100:0.0} % by boxes") : "none yet";
        var viewers = PlaylistServed ? $"{served} segment requests, {share}" : "stream not served yet";
        var exited = Exited.Count > 0 ? $" · exited: {string.Join(", ", Exited)}" : "";
        return $"{boxes} · {placed} · {viewers}{exited}";
    }
}
