using System.Globalization;
using Dandelion.Benchmark.Load;
using Dandelion.Benchmark.Measuring;
using Dandelion.Benchmark.Running;
using Dandelion.Benchmark.Seeding;
using Dandelion.LocalNetwork;
using StackExchange.Redis;
using static Dandelion.Benchmark.Running.ScenarioContext;

namespace Dandelion.Benchmark.Scenarios;

/// <summary>
/// 7. Scale-out (issue 11): heartbeats/s and SEARCH/s with three entrances on a Redis Cluster of
/// three masters and three replicas, against one entrance on one Redis measured in the same run
/// with the same load; and how evenly the boxes' keys spread over the masters.
/// </summary>
internal static class ScaleOutScenario
{
    private const string Name = "7 scale-out";
    private const int ExchangeConcurrency = 64;

    public static async Task RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var boxes = options.Smoke ? 500 : 10_000;
        await using var testbed = context.NewTestbed("scale-out");
        var places = context.Places(testbed.GeoIpDatabase);
        await using var workers = await context.StartWorkersAsync(places.World, testbed.Group.LogDirectory);

        var (single, singlePort) = await testbed.StartRedisAsync(cancellationToken);
        var one = await MeasureAsync(context, testbed, workers, $"127.0.0.1:{singlePort}", [single], 1, boxes, places.World, cancellationToken);
        await testbed.Group.StopAsync(single);

        var cluster = await LocalCluster.StartAsync(testbed.Group, cancellationToken);
        var three = await MeasureAsync(context, testbed, workers, cluster.ConnectionString, [.. cluster.Nodes.Select(n => n.Process)], 3, boxes,
            places.World, cancellationToken);

        var setup = $"{N(boxes)} boxes registered";
        context.Report.Add(new ResultRow(Name,
            $"EXCHANGE throughput, 3 entrances on a 3-master 3-replica cluster, {ExchangeConcurrency} sessions spread over them, {setup}",
            three.Exchange.Describe("EXCHANGE"), $"1 entrance on 1 Redis, same load: {one.Exchange.Describe("EXCHANGE")} ({one.Exchange.Figures})",
            Ratio(three.Exchange, one.Exchange), "more with more entrances and masters (on more machines)", three.Exchange.Figures));
        context.Report.Add(new ResultRow(Name,
            $"SEARCH, 3 entrances on a 3-master 3-replica cluster, concurrency {options.SearchConcurrency} spread over them, {setup}",
            three.Search.Describe("SEARCH"), $"1 entrance on 1 Redis, same load: {one.Search.Describe("SEARCH")} ({one.Search.Figures})",
            Ratio(three.Search, one.Search), "more with more entrances (on more machines)", three.Search.Figures));
        var spread = three.KeysPerMaster;
        context.Report.Add(new ResultRow(Name,
            $"keys per master after the runs above, {setup}",
            $"{string.Join(" / ", spread.Select(k => N(k)))} keys",
            // The peer: the same keys split evenly over the masters.
            spread.Count > 0 ? $"an even spread: {string.Join(" / ", spread.Select(_ => N(spread.Sum() / spread.Count)))} keys" : "an even spread",
            spread.Count > 0 && spread[0] > 0 ? (double)spread[^1] / spread[0] : null,
            "every master near a third (ratio = fewest ÷ most)",
            "DBSIZE of each master"));
    }

    private static double? Ratio(Measured ours, Measured peer) => peer.Result.PerSecond > 0 ? ours.Result.PerSecond / peer.Result.PerSecond : null;

    private static async Task<(Measured Exchange, Measured Search, List<long> KeysPerMaster)> MeasureAsync(ScenarioContext context, Testbed testbed,
        WorkerPool workers, string redis, IReadOnlyList<ChildProcess> redisProcesses, int entranceCount, int boxes, string[] ips,
        CancellationToken cancellationToken)
    {
        var options = context.Options;
        var heartbeat = TimeSpan.FromMinutes(20);
        var expiry = TimeSpan.FromHours(3);
        var prefix = "scale" + entranceCount;
        var entrances = new List<(ChildProcess Process, Uri Url)>();
        for (var i = 0; i < entranceCount; i++)
            entrances.Add(await testbed.StartEntranceAsync(redis, prefix, heartbeat, expiry, $"entrance-{entranceCount}-{i + 1}", cancellationToken));
        var urls = string.Join(' ', entrances.Select(e => $"ws://127.0.0.1:{e.Url.Port}/dandelion/ws/"));

        await using (var seeder = EntranceSeeder.Create(EntranceSeeder.Settings(redis, prefix, heartbeat, expiry, testbed.GeoIpDatabase),
            Path.Combine(testbed.Group.RunDirectory, $"seeder-{entranceCount}")))
        {
            await seeder.RegisterAsync(0, boxes, ips, cancellationToken);
        }
        foreach (var (_, url) in entrances)
            await SearchScenario.WaitUntilIndexedAsync(url, testbed.OperatorKey, boxes, cancellationToken);

        var exchange = await RunAsync(workers, entrances, redisProcesses, new WorkerCommand("closed", urls, "exchange",
            Concurrency: ExchangeConcurrency, Seconds: options.Measure.TotalSeconds, Ips: ips));
        var search = await RunAsync(workers, entrances, redisProcesses, new WorkerCommand("closed", urls, "search",
            Concurrency: options.SearchConcurrency, Seconds: options.Measure.TotalSeconds, Ips: ips));

        using var admin = await ConnectionMultiplexer.ConnectAsync(redis + ",allowAdmin=true");
        var keys = await LocalCluster.KeysPerMasterAsync(admin);
        foreach (var (process, _) in entrances)
            await testbed.Group.StopAsync(process);
        return (exchange, search, keys);
    }

    private static async Task<Measured> RunAsync(WorkerPool workers, List<(ChildProcess Process, Uri Url)> entrances,
        IReadOnlyList<ChildProcess> redisProcesses, WorkerCommand command)
    {
        // Warm-up, not measured: freshly started entrances compile their paths and open their Redis connections.
        await workers.RunClosedAsync(command with { Seconds = Math.Max(2, command.Seconds / 2) });
        var entrancesBefore = entrances.Select(e => ProcessFigures.Read(e.Process.Id)).ToList();
        var redisBefore = redisProcesses.Select(r => ProcessFigures.Read(r.Id)).ToList();
        var result = await workers.RunClosedAsync(command);
        var entranceCpu = entrances.Select((e, i) => ProcessFigures.Read(e.Process.Id).CpuPercentSince(entrancesBefore[i])).Sum();
        var redisCpu = redisProcesses.Select((r, i) => ProcessFigures.Read(r.Id).CpuPercentSince(redisBefore[i])).Sum();
        var rss = entrances.Sum(e => ProcessFigures.Read(e.Process.Id).RssBytes);
        return new Measured(result, string.Create(CultureInfo.InvariantCulture,
            $"{entrances.Count} entrance(s) {entranceCpu:0} % CPU in all, {rss / 1048576.0:0} MiB; {redisProcesses.Count} Redis process(es) {redisCpu:0} % CPU in all"));
    }

    private sealed record Measured(LoadResult Result, string Figures)
    {
        public string Describe(string what) =>
            $"{N(Result.PerSecond)} {what}/s, p50 {Ms(Result.Latency.Percentile(0.5))}, p99 {Ms(Result.Latency.Percentile(0.99))}" +
            (Result.Errors > 0 ? $"; {N(Result.Errors)} errors ({Result.FirstError})" : "");
    }
}
