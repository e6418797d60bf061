using Dandelion.LocalNetwork;

namespace Dandelion.EndToEnd.Tests;

/// <summary>
/// run-local's status line (issue 12): offload in delivered bytes, what boxes reported serving
/// against what the origin sent, with the redirected share beside it and a word when the
/// publisher says the two disagree. No network needed: the line is made from one snapshot.
/// </summary>
public sealed class StatusLineTests
{
    private static string Line(StreamFigures stream) =>
        new NetworkSnapshot(BoxesLive: 3, BoxesRunning: 3, SegmentsPlaced: 5, PlaylistServed: true, stream, Exited: []).ToString();

    [Fact]
    public void The_share_is_delivered_bytes_with_the_redirected_share_beside_it()
    {
        // 10 origin + 90 redirected requests; boxes reported 800 of the 1,000 bytes redirected (the rest failed).
        var line = Line(new StreamFigures(OriginRequests: 10, OriginBytes: 200, RedirectRequests: 90, RedirectBytes: 1000, BoxRequests: 80, BoxBytes: 800));
        Assert.Equal("boxes 3/3 live · 5 segments on boxes · 100 segment requests, 80.0 % delivered by boxes (redirected 83.3 %)", line);
    }

    [Fact]
    public void A_disagreement_the_publisher_reports_is_said()
    {
        var line = Line(new StreamFigures(10, 200, 90, 1000, 40, 400, Disagreement: "redirected 1000 B, boxes reported 400 B"));
        Assert.EndsWith("66.7 % delivered by boxes (redirected 83.3 %): figures disagree", line);
    }

    [Fact]
    public void Before_any_request_there_is_no_share_and_before_the_playlist_no_stream()
    {
        Assert.EndsWith("0 segment requests, none yet", Line(new StreamFigures(0, 0, 0, 0)));
        var waiting = new NetworkSnapshot(-1, 3, -1, PlaylistServed: false, new StreamFigures(0, 0, 0, 0), ["box2"]).ToString();
        Assert.Equal("entrance not answering · publisher not answering · stream not served yet · exited: box2", waiting);
    }
}
