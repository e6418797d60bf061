using Dandelion.Benchmark.Measuring;

namespace Dandelion.Benchmark.Load;

/// <summary>The workers' reports added up.</summary>
internal sealed record LoadResult(long Open, long Due, long Answered, long InTime, long Errors, double Seconds, LatencyHistogram Latency, string? FirstError)
{
    public double PerSecond => Seconds <= 0 ? 0 : Answered / Seconds;
    /// <summary>Share of heartbeats due that got no reply within the heartbeat; replies to beats due before the count began can make InTime exceed Due slightly.</summary>
    public double LateShare => Due == 0 ? 0 : Math.Max(0, 1 - (double)InTime / Due);

    public static LoadResult Sum(IReadOnlyList<WorkerReport> reports)
    {
        var latency = new LatencyHistogram();
        foreach (var report in reports)
            latency.Add(new LatencyHistogram(report.Counts));
        return new LoadResult(reports.Sum(r => r.Open), reports.Sum(r => r.Due), reports.Sum(r => r.Answered), reports.Sum(r => r.InTime),
            reports.Sum(r => r.Errors), reports.Max(r => r.Seconds), latency, reports.Select(r => r.FirstError).FirstOrDefault(e => e is not null));
    }
}
