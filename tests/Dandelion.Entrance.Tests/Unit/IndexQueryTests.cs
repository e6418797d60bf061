using Dandelion.Entrance.Configuration;
using Dandelion.Entrance.Geo;
using Dandelion.Entrance.Redis;
using Dandelion.Entrance.Search;
using Dandelion.Shared.Geo;
using Dandelion.Shared.Protocol;
using Microsoft.Extensions.Options;

namespace Dandelion.Entrance.Tests.Unit;

/// <summary>The index's branch-and-bound search against the plain definition: score every live box, sort.</summary>
public sealed class IndexQueryTests
{
    private const long Now = 1_000_000;

    private static IndexRecord Record(string id, double lat, double lon, long used, string load)
    {
        var box = new StoredBox
        {
            Id = id, Version = 2, ConnectWs = $"ws://198.51.100.1:1/dandelion/{id}/ws/", HttpUrl = "http://198.51.100.1:2/",
            BandwidthCeiling = 1000, BandwidthUsed = used, LoadAverage1 = load, CpuNum = "4",
            Geo = new GeoLocation { Known = true, Country = "XX", Latitude = lat, Longitude = lon },
        };
        return IndexRecord.Parse(box.ToUtf8())!;
    }

    private static (BoxIndex Index, List<(string Id, IndexRecord Record, bool Live)> Boxes) Populate(int seed, int count, Func<Random, (double, double)> place,
        bool alike = false)
    {
        var index = new BoxIndex(Options.Create(new EntranceOptions()));
        var random = new Random(seed);
        var boxes = new List<(string, IndexRecord, bool)>();
        using var writing = index.Write();
        for (var i = 0; i < count; i++)
        {
            var id = $"box-{i:x32}";
            var (lat, lon) = place(random);
            var record = alike
                ? Record(id, lat, lon, 250, "0.50")
                : Record(id, lat, lon, random.Next(0, 1001), (random.NextDouble() * 6).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture));
            // Every tenth box expired, every seventh draining: never offered.
            var expiresAt = i % 10 == 0 ? Now : Now + 15_000;
            var draining = i % 7 == 0;
            index.Apply(0, new FeedChange(FeedChange.Upserted, i + 1, [id], expiresAt, draining, record));
            boxes.Add((id, record, expiresAt > Now && !draining));
        }
        return (index, boxes);
    }

    private static List<(string Id, double Score)> BruteForce(List<(string Id, IndexRecord Record, bool Live)> boxes, double lat, double lon, int count, ISet<string> exclude)
    {
        var w = new ScoreWeights();
        return [.. boxes.Where(b => b.Live && !exclude.Contains(b.Id))
            .Select(b => (b.Id, Score: Math.Round(w.Distance * BoxScorer.DistancePart(GeoDistance.Kilometres(lat, lon, b.Record.Latitude, b.Record.Longitude))
                + w.Bandwidth * b.Record.Bandwidth + w.Storage * b.Record.Storage + w.Load * b.Record.Load, 6)))
            .OrderByDescending(b => b.Score).ThenBy(b => b.Id, StringComparer.Ordinal)
            .Take(count)];
    }

    public static TheoryData<string, double, double> Searchers => new()
    {
        { "globe", 52.5, 13.4 },     // Berlin
        { "globe", -33.9, 18.4 },    // Cape Town
        { "globe", -50, -30 },       // mid-ocean: nothing near, static parts decide
        { "globe", 89.9, 179.9 },    // the pole, at the date line
        { "city", 52.52, 13.40 },    // inside the city
        { "city", 35.68, 139.69 },   // far from it
        { "twins", 52.52, 13.40 },   // every box alike at one point: ties all the way, decided by id
        { "twins", 35.68, 139.69 },
    };

    [Theory]
    [MemberData(nameof(Searchers))]
    public void Finds_exactly_the_best_boxes_by_the_documented_score(string layout, double lat, double lon)
    {
        Func<Random, (double, double)> place = layout == "twins" ? _ => (52.52, 13.405)
            : layout == "globe"
            ? r => (r.NextDouble() * 170 - 85, r.NextDouble() * 360 - 180)
            // A city: most boxes at one GeoIP point, the rest spread within ~20 km.
            : r => r.Next(3) == 0 ? (52.52 + r.NextDouble() * 0.3 - 0.15, 13.40 + r.NextDouble() * 0.4 - 0.2) : (52.52, 13.405);
        var (index, boxes) = Populate(seed: lat.GetHashCode(), count: 3000, place, alike: layout == "twins");
        var exclude = new HashSet<string>(boxes.Where((_, i) => i % 11 == 1).Select(b => b.Id), StringComparer.Ordinal);

        foreach (var count in new[] { 1, 20, 100 })
        {
            var expected = BruteForce(boxes, lat, lon, count, exclude);
            var found = index.Find(lat, lon, count, exclude, DateTimeOffset.FromUnixTimeMilliseconds(Now));
            Assert.Equal(expected.Select(e => e.Id), found.Select(f => f.Id));
            Assert.Equal(expected.Select(e => e.Score), found.Select(f => f.Score));
        }
    }

    [Fact]
    public void A_box_past_its_expiry_is_never_found_and_an_older_change_never_overwrites_a_newer()
    {
        var index = new BoxIndex(Options.Create(new EntranceOptions()));
        var record = Record("box-a", 10, 10, 0, "0.1");
        using (index.Write())
        {
            index.Apply(0, new FeedChange(FeedChange.Upserted, 5, ["box-a"], Now + 1, false, record));
            index.Apply(0, new FeedChange(FeedChange.Alive, 4, ["box-a"], Now + 99_000, false, null)); // older: ignored
        }
        Assert.Single(index.Find(10, 10, 5, new HashSet<string>(), DateTimeOffset.FromUnixTimeMilliseconds(Now)));
        Assert.Empty(index.Find(10, 10, 5, new HashSet<string>(), DateTimeOffset.FromUnixTimeMilliseconds(Now + 1)));

        using (index.Write())
            index.Apply(0, new FeedChange(FeedChange.Alive, 6, ["box-a"], Now + 10_000, true, null));
        Assert.Empty(index.Find(10, 10, 5, new HashSet<string>(), DateTimeOffset.FromUnixTimeMilliseconds(Now))); // draining
        using (index.Write())
            index.Apply(0, new FeedChange(FeedChange.DrainSet, 7, ["box-a"], 0, false, null));
        Assert.Single(index.Find(10, 10, 5, new HashSet<string>(), DateTimeOffset.FromUnixTimeMilliseconds(Now)));
    }

    [Fact]
    public void A_resync_does_not_bring_back_a_box_that_went_meanwhile_and_drops_what_redis_no_longer_has()
    {
        var index = new BoxIndex(Options.Create(new EntranceOptions()));
        var live = DateTimeOffset.FromUnixTimeMilliseconds(Now);
        using (index.Write())
        {
            index.Apply(3, new FeedChange(FeedChange.Upserted, 1, ["box-stale"], Now + 10_000, false, Record("box-stale", 1, 1, 0, "0")));
            index.BeginResync(3, clear: false);
            // The snapshot read the feed at 10; box-gone closed at 11, before its snapshot row was applied.
            index.Apply(3, new FeedChange(FeedChange.Gone, 11, ["box-gone"], 0, false, null));
            index.Restore(3, generation: 1, sequence: 10, "box-gone", Now + 10_000, false, Record("box-gone", 1, 1, 0, "0"));
            index.Restore(3, generation: 1, sequence: 10, "box-kept", Now + 10_000, false, Record("box-kept", 1, 1, 0, "0"));
            index.EndResync(3, generation: 1, sequence: 10);
        }
        Assert.Equal(["box-kept"], index.Find(1, 1, 10, new HashSet<string>(), live).Select(h => h.Id));
    }
}
