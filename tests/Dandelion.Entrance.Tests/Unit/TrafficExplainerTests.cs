using Dandelion.Entrance.Dashboard;
using Dandelion.Entrance.Search;
using Dandelion.Shared.Protocol;

namespace Dandelion.Entrance.Tests.Unit;

/// <summary>
/// The dashboard's plain sentence on why a box gets little or no traffic (issue 13: draining,
/// full, far, low bandwidth, version 1, not answering), one row per reason, from the figures
/// the entrance has.
/// </summary>
public sealed class TrafficExplainerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(5);

    private static SearchMark Mark(double distance = 0.9, double bandwidth = 0.9, bool chosen = false) => new()
    {
        Score = 0.4,
        DistanceKm = 1000 / distance - 1000,
        Parts = new ScoreParts { Distance = distance, Bandwidth = bandwidth, Storage = 0.9, Load = 0.9 },
        Rank = 7,
        Of = 8,
        Chosen = chosen,
    };

    private static NetworkBox Box(
        int version = 2, string state = "ACTIVE", TimeSpan? silentFor = null, long? storageUsed = 10, long? storageQuota = 1000,
        long? bandwidthUsed = 0, long? bandwidthCeiling = 1_000_000, long bytesServed = 0, BoxSearches? searches = null) =>
        new(Id: "box-1", Name: "attic", Version: version, State: state, Country: "DE", City: "Berlin", GeoKnown: true,
            Place: new BoxPlace(52.5, 13.4, "Berlin", "DE", PlaceSources.GeoIp, null, null), HttpUrl: "http://203.0.113.7:8081",
            LastHeartbeatAt: Now - (silentFor ?? TimeSpan.FromSeconds(1)), ExpiresAt: Now + TimeSpan.FromSeconds(14),
            StorageUsed: storageUsed, StorageQuota: storageQuota, Files: 1, BandwidthUsed: bandwidthUsed, BandwidthCeiling: bandwidthCeiling,
            RequestsServed: 0, BytesServed: bytesServed, OpenSessions: 1, Searches: searches ?? new BoxSearches(0, 0, null),
            Traffic: new TrafficExplanation("", ""));

    // NetworkBox is internal, so rows name their case and the box is built here.
    private static NetworkBox Case(string why) => why switch
    {
        // Silent past two heartbeats and a second: frozen, or its uplink is gone.
        "not answering" => Box(silentFor: TimeSpan.FromSeconds(30)),
        // The operator (or quiet hours) drained it: SEARCH leaves it out.
        "draining" => Box(state: "DRAINING", searches: new BoxSearches(4, 4, Mark(chosen: true)), bytesServed: 100),
        // 96 % of its quota used: it refuses new files.
        "full" => Box(storageUsed: 960, searches: new BoxSearches(4, 4, Mark(chosen: true)), bytesServed: 100),
        // Sending 95 % of the ceiling its owner set.
        "at its ceiling" => Box(bandwidthUsed: 950_000, searches: new BoxSearches(4, 4, Mark(chosen: true)), bytesServed: 100),
        // Never chosen, and about 5,000 km from the publisher that searched.
        "far" => Box(searches: new BoxSearches(3, 0, Mark(distance: 0.17))),
        // Never chosen, near, but with little free upload.
        "low bandwidth" => Box(searches: new BoxSearches(3, 0, Mark(bandwidth: 0.05))),
        // Never chosen, near and with room: an original box, neutral on figures it does not report.
        "version 1, searched" => Box(version: 1, storageQuota: null, bandwidthCeiling: null, searches: new BoxSearches(3, 0, Mark())),
        "version 1, not searched yet" => Box(version: 1, storageQuota: null, bandwidthCeiling: null),
        // Never chosen for none of the reasons above.
        "ranked low" => Box(searches: new BoxSearches(3, 0, Mark())),
        "not searched yet" => Box(),
        "serving" => Box(searches: new BoxSearches(4, 3, Mark(chosen: true)), bytesServed: 5000),
        _ => throw new ArgumentOutOfRangeException(nameof(why)),
    };

    [Theory]
    [InlineData("not answering", "not-answering")]
    [InlineData("draining", "draining")]
    [InlineData("full", "full")]
    [InlineData("at its ceiling", "at-ceiling")]
    [InlineData("far", "far")]
    [InlineData("low bandwidth", "low-bandwidth")]
    [InlineData("version 1, searched", "version-1")]
    [InlineData("version 1, not searched yet", "version-1")]
    [InlineData("ranked low", "ranked-low")]
    [InlineData("not searched yet", "not-searched")]
    [InlineData("serving", "serving")]
    public void Each_reason_is_told_in_its_own_sentence(string why, string kind)
    {
        var explanation = TrafficExplainer.Explain(Case(why), Now, Heartbeat);
        Assert.True(kind == explanation.Kind, $"{why}: '{explanation.Kind}': {explanation.Sentence}");
        Assert.False(string.IsNullOrWhiteSpace(explanation.Sentence));
        Assert.EndsWith(".", explanation.Sentence);
    }

    [Fact]
    public void The_sentences_carry_the_figures_behind_them()
    {
        Assert.Contains("30 s ago", TrafficExplainer.Explain(Box(silentFor: TimeSpan.FromSeconds(30)), Now, Heartbeat).Sentence);
        Assert.Contains("96", TrafficExplainer.Explain(Box(storageUsed: 960), Now, Heartbeat).Sentence);
        Assert.Contains("ranked 7 of 8", TrafficExplainer.Explain(Box(searches: new BoxSearches(3, 0, Mark(distance: 0.17))), Now, Heartbeat).Sentence);
        Assert.Contains("offered in 3 of the 4", TrafficExplainer.Explain(Box(searches: new BoxSearches(4, 3, Mark(chosen: true)), bytesServed: 5000), Now, Heartbeat).Sentence);
    }
}
