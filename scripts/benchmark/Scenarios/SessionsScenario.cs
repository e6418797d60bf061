using Dandelion.Benchmark.Load;
using Dandelion.Benchmark.Measuring;
using Dandelion.Benchmark.Running;
using static Dandelion.Benchmark.Running.ScenarioContext;

namespace Dandelion.Benchmark.Scenarios;

/// <summary>
/// 1. Version 2 sessions held at the heartbeat, ramped in steps toward 100,000 on one entrance:
/// at each step the reply p50/p99, the share of heartbeats not answered within the heartbeat,
/// entrance CPU and RSS. Then the EXCHANGE rate of sessions that send as fast as they are
/// answered. Peer: redis-benchmark running the commands one EXCHANGE costs.
/// </summary>
internal static class SessionsScenario
{
    private const string Name = "1 sessions";
    /// <summary>Descriptors the entrance needs besides its sessions (Redis, listeners, files).</summary>
    private const int SpareDescriptors = 1000;

    public static async Task RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        await using var testbed = context.NewTestbed("sessions");
        var places = context.Places(testbed.GeoIpDatabase);
        var (redis, redisPort) = await testbed.StartRedisAsync(cancellationToken);
        var heartbeat = options.SessionHeartbeat;
        var (entrance, url) = await testbed.StartEntranceAsync(redisPort, "bench", heartbeat, 3 * heartbeat, cancellationToken);
        var ws = new Uri($"ws://127.0.0.1:{url.Port}/dandelion/ws/");

        var (peer, commands) = await ExchangeCost.MeasureAsync(redisPort, ws, places.World[0], options.Smoke ? 20_000 : 200_000, cancellationToken);
        var peerText = $"Redis alone {N(peer.SetsPerSecond)} EXCHANGE/s (redis-benchmark: {commands})";

        await using var workers = await context.StartWorkersAsync(places.World, testbed.Group.LogDirectory);
        var limit = (int)Math.Min(int.MaxValue, Machine.OpenFileLimit()) - SpareDescriptors;
        var steps = options.SessionSteps.Where(s => s <= limit).ToList();
        if (steps.Count < options.SessionSteps.Length)
            steps.Add(limit);
        var idle = ProcessFigures.Read(entrance.Id);
        var open = 0L;
        foreach (var step in steps)
        {
            var opening = await workers.RunAsync(new WorkerCommand("open", ws.ToString(), Count: (int)(step - open),
                HeartbeatSeconds: heartbeat.TotalSeconds, RampPerSecond: options.SessionRampPerSecond), TimeSpan.FromMinutes(30));
            open = opening.Open;
            await Task.Delay(heartbeat, cancellationToken);
            await workers.RunAsync(new WorkerCommand("reset"), TimeSpan.FromMinutes(1));
            var before = ProcessFigures.Read(entrance.Id);
            await Task.Delay(options.SessionHold, cancellationToken);
            var held = await workers.RunAsync(new WorkerCommand("report"), TimeSpan.FromMinutes(1));
            var after = ProcessFigures.Read(entrance.Id);
            var capped = step == limit && step < options.SessionSteps.Max()
                ? $" (the open-file limit {N(limit + SpareDescriptors)} stops one entrance here; larger steps not tried)" : "";
            context.Report.Add(new ResultRow(Name,
                $"{N(step)} sessions at a {heartbeat.TotalSeconds:0} s heartbeat{capped}",
                $"{N(held.Open)} held; reply p50 {Ms(held.Latency.Percentile(0.5))}, p99 {Ms(held.Latency.Percentile(0.99))}; {held.LateShare:P1} of heartbeats not answered in time; {N(held.PerSecond)} EXCHANGE/s" +
                    (held.Errors > 0 || opening.Errors > 0 ? $"; {N(opening.Errors + held.Errors)} errors ({held.FirstError ?? opening.FirstError})" : ""),
                peerText, null,
                "100,000 held, p99 < 50 ms, RSS < 2 GiB",
                after.Describe("entrance", before) + (held.Open > 0 ? $" ({(after.RssBytes - idle.RssBytes) / 1024.0 / held.Open:0.0} KiB more per session than idle)" : "")));
            if (held.Open < step * 0.9 || held.LateShare > 0.5)
                break;
        }
        await workers.RunAsync(new WorkerCommand("close"), TimeSpan.FromMinutes(10));

        // EXCHANGE throughput: sessions that send again as soon as they are answered.
        const int concurrency = 64;
        var entranceBefore = ProcessFigures.Read(entrance.Id);
        var redisBefore = ProcessFigures.Read(redis.Id);
        var rate = await workers.RunClosedAsync(new WorkerCommand("closed", ws.ToString(), "exchange", Concurrency: concurrency, Seconds: options.Measure.TotalSeconds));
        var entranceAfter = ProcessFigures.Read(entrance.Id);
        context.Report.Add(new ResultRow(Name,
            $"EXCHANGE throughput, {concurrency} sessions sending as fast as answered",
            $"{N(rate.PerSecond)} EXCHANGE/s, p50 {Ms(rate.Latency.Percentile(0.5))}, p99 {Ms(rate.Latency.Percentile(0.99))}" + (rate.Errors > 0 ? $"; {N(rate.Errors)} errors ({rate.FirstError})" : ""),
            peerText, rate.PerSecond / peer.SetsPerSecond,
            ">= 30,000 EXCHANGE/s",
            entranceAfter.Describe("entrance", entranceBefore) + "; " + ProcessFigures.Read(redis.Id).Describe("redis", redisBefore)));
    }
}
