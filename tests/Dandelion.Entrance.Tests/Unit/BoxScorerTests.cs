using Dandelion.Entrance.Configuration;
using Dandelion.Entrance.Geo;
using Dandelion.Entrance.Search;
using Dandelion.Shared.Geo;

namespace Dandelion.Entrance.Tests.Unit;

public sealed class BoxScorerTests
{
    [Theory]
    [InlineData(0, 1.0)]          // next door
    [InlineData(1000, 0.5)]       // 1,000 km
    [InlineData(10000, 1 / 11.0)] // 10,000 km: about 0.09
    public void Distance_part_halves_at_a_thousand_kilometres(double km, double expected) =>
        Assert.Equal(expected, BoxScorer.DistancePart(km), 6);

    [Fact]
    public void Every_part_follows_the_documented_formula()
    {
        var box = new BoxFigures
        {
            BandwidthCeiling = 1000, BandwidthUsed = 250,
            StorageQuota = 200, StorageUsed = 50,
            LoadAverage1 = 1, CpuCount = 4,
        };
        var parts = BoxScorer.Parts(box, 1000);
        Assert.Equal(0.5, parts.Distance, 6);
        Assert.Equal(0.75, parts.Bandwidth, 6);
        Assert.Equal(0.75, parts.Storage, 6);
        Assert.Equal(0.75, parts.Load, 6);
        var weights = new ScoreWeights();
        Assert.Equal(0.4 * 0.5 + 0.3 * 0.75 + 0.15 * 0.75 + 0.15 * 0.75, BoxScorer.Score(parts, weights), 6);
    }

    [Fact]
    public void Unknown_figures_score_a_neutral_half()
    {
        var parts = BoxScorer.Parts(new BoxFigures(), 0);
        Assert.Equal(0.5, parts.Bandwidth);
        Assert.Equal(0.5, parts.Storage);
        Assert.Equal(0.5, parts.Load);
    }

    [Fact]
    public void A_version_1_box_is_judged_on_free_disk_when_it_states_no_quota()
    {
        var parts = BoxScorer.Parts(new BoxFigures { DiskTotal = 100, DiskAvailable = 20 }, 0);
        Assert.Equal(0.2, parts.Storage, 6);
    }

    [Theory]
    [InlineData(2000, 1000, 0)]    // more used than allowed: no room, not negative
    [InlineData(100, -5, 0.5)]     // nonsense ceiling: unknown
    [InlineData(-5, 100, 1)]       // nonsense use: capped at all free
    public void Parts_stay_within_zero_and_one(double used, double ceiling, double expected) =>
        Assert.Equal(expected, BoxScorer.Parts(new BoxFigures { BandwidthCeiling = ceiling, BandwidthUsed = used }, 0).Bandwidth, 6);

    [Fact]
    public void An_overloaded_box_has_no_load_score()
    {
        Assert.Equal(0, BoxScorer.Parts(new BoxFigures { LoadAverage1 = 9, CpuCount = 2 }, 0).Load);
    }

    [Fact]
    public void A_near_idle_box_beats_a_far_idle_box_and_a_near_busy_box()
    {
        var weights = new ScoreWeights();
        var idle = new BoxFigures { BandwidthCeiling = 100, BandwidthUsed = 0, LoadAverage1 = 0, CpuCount = 4 };
        var busy = idle with { BandwidthUsed = 100, LoadAverage1 = 8 };
        var near = BoxScorer.Score(BoxScorer.Parts(idle, 10), weights);
        var far = BoxScorer.Score(BoxScorer.Parts(idle, 9000), weights);
        var nearBusy = BoxScorer.Score(BoxScorer.Parts(busy, 10), weights);
        Assert.True(near > far);
        Assert.True(near > nearBusy);
    }

    [Fact]
    public void Distance_agrees_with_known_city_pairs()
    {
        // Berlin to Paris is about 878 km.
        Assert.InRange(GeoDistance.Kilometres(52.52, 13.405, 48.8566, 2.3522), 870, 885);
        Assert.Equal(0, GeoDistance.Kilometres(10, 10, 10, 10), 6);
    }
}
