using System.Net;
using Dandelion.Entrance.Geo;
using Dandelion.Entrance.Search;

namespace Dandelion.Entrance.Tests.Unit;

public sealed class SearchCapUnitTests
{
    [Theory]
    [InlineData("203.0.113.77", "203.0.113.0/24")]
    [InlineData("::ffff:203.0.113.77", "203.0.113.0/24")]          // IPv4 mapped into IPv6 is the IPv4 network
    [InlineData("2001:db8:1234:5678::1", "2001:db8:1234::/48")]     // IPv6: the site's /48
    [InlineData("2001:db8:1234:ffff:1:2:3:4", "2001:db8:1234::/48")]
    [InlineData("127.0.0.1", null)]                                 // loopback: the entrance's own machine
    [InlineData("::1", null)]
    [InlineData("192.168.1.10", null)]                              // private: a LAN deployment is not limited
    [InlineData("10.1.2.3", null)]
    [InlineData("fd00::1", null)]                                   // IPv6 unique local
    [InlineData("fe80::1", null)]                                   // IPv6 link-local
    public void A_box_network_is_its_public_slash_24_or_slash_48(string address, string? network) =>
        Assert.Equal(network, BoxNetwork.Of(IPAddress.Parse(address)));

    [Theory]
    // ceiling, used, believed, part
    [InlineData(10_000_000, 0, null, 1.0)]                      // no belief written: the claim stands
    [InlineData(10_000_000, 5_000_000, 20_000_000.0, 0.5)]       // believed past the claim: the claim
    [InlineData(10_000_000, 0, 2_500_000.0, 0.25)]               // only the believed share is free
    [InlineData(1_000_000_000_000, 0, 2_500_000.0, 0.0000025)]   // a forged terabyte earns next to nothing
    [InlineData(10_000_000, 5_000_000, 2_500_000.0, 0.0)]        // more in use than believed: nothing free
    public void The_bandwidth_part_counts_only_what_is_believed(double ceiling, double used, double? believed, double part) =>
        Assert.Equal(part, BoxScorer.Parts(new BoxFigures { BandwidthCeiling = ceiling, BandwidthUsed = used, BandwidthBelieved = believed }, 0).Bandwidth, 9);

    [Fact]
    public void The_cap_keeps_the_order_and_leaves_out_a_crowded_network_past_its_share()
    {
        var ranked = new List<IndexHit> { Hit("a", "n1"), Hit("b", "n1"), Hit("c", null), Hit("d", "n1"), Hit("e", "n2"), Hit("f", null) };

        var kept = NetworkCap.Apply(ranked, perNetwork: 2, wanted: 4);

        Assert.Equal(["a", "b", "c", "e"], kept.Select(h => h.Id));
    }

    [Fact]
    public void Searching_past_a_crowd_asks_for_more_but_never_past_the_scan_limit()
    {
        // 100 boxes of one network rank first, then others: the answer reaches past them, within the limit.
        var all = Enumerable.Range(0, 100).Select(i => Hit($"crowd{i:D3}", "n1"))
            .Concat(Enumerable.Range(0, 100).Select(i => Hit($"other{i:D3}", $"m{i}"))).ToList();
        var asked = new List<int>();

        var kept = NetworkCap.Find(n => { asked.Add(n); return all.Take(n).ToList(); }, perNetwork: 3, wanted: 20);

        Assert.Equal(20, kept.Count);
        Assert.Equal(3, kept.Count(h => h.Id.StartsWith("crowd", StringComparison.Ordinal)));
        Assert.All(asked, n => Assert.InRange(n, 20, 20 * NetworkCap.ScanFactor));

        var bounded = NetworkCap.Find(n => { asked.Add(n); return Enumerable.Range(0, n).Select(i => Hit($"x{i}", "n1")).ToList(); },
            perNetwork: 3, wanted: 20);
        Assert.Equal(3, bounded.Count);
        Assert.Equal(20 * NetworkCap.ScanFactor, asked[^1]);
    }

    private static IndexHit Hit(string id, string? network) =>
        new(id, new IndexRecord([], default, default, default, default, 0, 0, 1, 1, 1, network), 0, 1, 1);
}
