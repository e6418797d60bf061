namespace Dandelion.Entrance.Configuration;

/// <summary><c>Entrance:Search</c>.</summary>
internal sealed class SearchOptions
{
    /// <summary>Boxes answered when a SEARCH gives no <c>COUNT</c> (and always to version 1). Default 20, as the original.</summary>
    public int DefaultCount { get; set; } = 20;

    /// <summary>Cap on <c>COUNT</c>. Default 100.</summary>
    public int MaxCount { get; set; } = 100;

    public ScoreWeights Weights { get; set; } = new();

    /// <summary>
    /// The most upload bandwidth, bytes per second, any box is believed to have whatever it claims
    /// (docs/PROTOCOL.md, SEARCH score). Default 125,000,000 (1 Gbit/s).
    /// </summary>
    public long MaxBoxBandwidth { get; set; } = 125_000_000;

    /// <summary>
    /// Bytes per second a box is believed to have before it has served anything; it is then
    /// believed this plus twice what it served over the last minute. Default 12,500,000 (100 Mbit/s).
    /// </summary>
    public long NewBoxBandwidth { get; set; } = 12_500_000;

    /// <summary>
    /// The most boxes from one network (a public IPv4 /24 or IPv6 /48, as the entrance saw the box
    /// connect) in one SEARCH answer. Default 3.
    /// </summary>
    public int MaxPerNetwork { get; set; } = 3;
}
