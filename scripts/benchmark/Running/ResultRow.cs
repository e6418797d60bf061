namespace Dandelion.Benchmark.Running;

/// <summary>
/// One row of BENCHMARKS.md. <see cref="Ratio"/> is ours ÷ peer where more is better (throughput),
/// peer ÷ ours where less is better (latency), so above 1 always means we beat the peer.
/// </summary>
/// <param name="Scenario">Its number and name, e.g. <c>4 redirects</c>.</param>
/// <param name="Case">What was measured, e.g. <c>/media/ 302, wrk -c64</c>.</param>
/// <param name="Measured">CPU and memory of the measured process(es) over the measurement.</param>
/// <param name="Error">Set when the row could not be measured; the run goes on.</param>
internal sealed record ResultRow(
    string Scenario,
    string Case,
    string Ours,
    string Peer,
    double? Ratio,
    string Target,
    string Measured,
    string? Error = null);
