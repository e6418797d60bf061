namespace Dandelion.Benchmark.Load;

/// <summary>A worker's answer to a command: what it counted since the last <c>reset</c>.</summary>
/// <param name="Due">Heartbeats due (sessions) or operations started (closed loop).</param>
/// <param name="InTime">Replies that came within the heartbeat (sessions) or at all (closed loop).</param>
/// <param name="Counts">Reply latency histogram (<see cref="Measuring.LatencyHistogram.Counts"/>).</param>
internal sealed record WorkerReport(long Open, long Due, long Answered, long InTime, long Errors, double Seconds, long[] Counts, string? FirstError);
