using Dandelion.Benchmark.Load;
using Dandelion.Benchmark.Measuring;
using Dandelion.Benchmark.Running;
using static Dandelion.Benchmark.Running.ScenarioContext;

namespace Dandelion.Benchmark.Scenarios;

/// <summary>
/// 2. Version 1 exchanges as original boxes make them (connect, EXCHANGE, reply, close) at
/// concurrency 1, 16 and 64. Peer: the smallest ASP.NET Core WebSocket server answering the
/// same EXCHANGE with the entrance's own reply and closing, at the same concurrency. The
/// original's 1,450/s (issue 10, measured elsewhere) is cited beside it.
/// </summary>
internal static class ExchangesScenario
{
    private const string Name = "2 v1 exchanges";
    private const double Original = 1450;

    public static async Task RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        await using var testbed = context.NewTestbed("exchanges");
        var places = context.Places(testbed.GeoIpDatabase);
        var (_, redisPort) = await testbed.StartRedisAsync(cancellationToken);
        var (entrance, url) = await testbed.StartEntranceAsync(redisPort, "bench", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60), cancellationToken);
        var ws = new Uri($"ws://127.0.0.1:{url.Port}/dandelion/ws/");

        // One real version 1 EXCHANGE, whose reply the canned peer then sends.
        var reply = await Replies.RequestAsync(ws, BoxMessages.Exchange(BoxMessages.BoxId(1), places.World[0], null), cancellationToken);
        var (peer, peerUrl) = await testbed.StartCannedPeerAsync(reply, cancellationToken);
        var peerWs = new Uri($"ws://127.0.0.1:{peerUrl.Port}/ws?close=1");

        await using var workers = await context.StartWorkersAsync(places.World, testbed.Group.LogDirectory);
        foreach (var concurrency in options.ExchangeConcurrency)
        {
            var before = ProcessFigures.Read(entrance.Id);
            var ours = await workers.RunClosedAsync(new WorkerCommand("closed", ws.ToString(), "v1", Concurrency: concurrency, Seconds: options.Measure.TotalSeconds));
            var after = ProcessFigures.Read(entrance.Id);
            var peerBefore = ProcessFigures.Read(peer.Id);
            var theirs = await workers.RunClosedAsync(new WorkerCommand("closed", peerWs.ToString(), "v1", Concurrency: concurrency, Seconds: options.Measure.TotalSeconds));
            var peerAfter = ProcessFigures.Read(peer.Id);
            context.Report.Add(new ResultRow(Name,
                $"connect, EXCHANGE, close; concurrency {concurrency}",
                $"{N(ours.PerSecond)}/s, p50 {Ms(ours.Latency.Percentile(0.5))}, p99 {Ms(ours.Latency.Percentile(0.99))}; {ours.PerSecond / Original:0.0}× the original's 1,450/s" +
                    (ours.Errors > 0 ? $"; {N(ours.Errors)} errors ({ours.FirstError})" : ""),
                $"canned ASP.NET WebSocket server {N(theirs.PerSecond)}/s, p99 {Ms(theirs.Latency.Percentile(0.99))} ({peerAfter.Describe("peer", peerBefore)})" +
                    (theirs.Errors > 0 ? $"; {N(theirs.Errors)} errors ({theirs.FirstError})" : ""),
                theirs.PerSecond > 0 ? ours.PerSecond / theirs.PerSecond : null,
                ">= 14,500/s (10× the original)",
                $"{after.Describe("entrance", before)}, {after.CpuPer(before, ours.Answered, "exchange")}"));
        }
    }
}
