using Dandelion.Publisher.Media;
using Dandelion.Publisher.Placement;
using Dandelion.Shared.Protocol;

namespace Dandelion.Publisher.Tests;

public sealed class ChooserTests
{
    [Fact]
    public void Boxes_for_a_file_are_distinct_and_spread_over_the_best_few()
    {
        var candidates = Enumerable.Range(0, 8).Select(i => new BoxCandidate($"box{i}", 1 - i * 0.1, 0, 0)).ToList();
        var random = new Random(7);
        var counts = new Dictionary<string, int>();
        for (var n = 0; n < 400; n++)
        {
            var chosen = BoxChooser.Choose(candidates, 2, random);
            Assert.Equal(2, chosen.Distinct().Count());
            foreach (var id in chosen)
                counts[id] = counts.GetValueOrDefault(id) + 1;
        }
        // The best four get files, each a fair share; the rest get none.
        Assert.Equal(["box0", "box1", "box2", "box3"], counts.Keys.Order());
        Assert.All(counts.Values, c => Assert.InRange(c, 100, 300));
    }

    [Fact]
    public void Of_two_drawn_boxes_the_one_with_fewer_bytes_waiting_wins()
    {
        var busy = new BoxCandidate("busy", 0.9, 10_000_000, 0);
        var idle = new BoxCandidate("idle", 0.5, 0, 0);
        for (var seed = 0; seed < 20; seed++)
            Assert.Equal(["idle"], BoxChooser.Choose([busy, idle], 1, new Random(seed)));
    }

    [Fact]
    public void Fewer_candidates_than_wanted_gives_every_candidate() =>
        Assert.Equal(["only"], BoxChooser.Choose([new BoxCandidate("only", 0.1, 0, 0)], 3, new Random(1)));

    private static Holder H(string id) => new(id, "http://" + id + "/f", true, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue);

    [Fact]
    public void A_viewer_is_sent_to_the_nearest_holder_first()
    {
        var places = new Dictionary<string, GeoLocation>
        {
            ["paris"] = new() { Known = true, Latitude = 48.86, Longitude = 2.35 },
            ["tokyo"] = new() { Known = true, Latitude = 35.68, Longitude = 139.69 },
        };
        var berlin = (52.52, 13.40);
        var order = HolderChooser.Order([H("tokyo"), H("paris")], berlin, id => places.GetValueOrDefault(id), _ => 0);
        Assert.Equal(["paris", "tokyo"], order.Select(h => h.BoxId));
    }

    [Fact]
    public void Without_a_place_for_the_viewer_the_least_used_holder_comes_first()
    {
        var redirects = new Dictionary<string, long> { ["a"] = 5, ["b"] = 1, ["c"] = 3 };
        var order = HolderChooser.Order([H("a"), H("b"), H("c")], null, _ => null, id => redirects[id]);
        Assert.Equal(["b", "c", "a"], order.Select(h => h.BoxId));
    }

    [Fact]
    public void Distance_is_great_circle_kilometres() =>
        Assert.InRange(Dandelion.Shared.Geo.GeoDistance.Kilometres(48.86, 2.35, 52.52, 13.40), 870, 890);
}
