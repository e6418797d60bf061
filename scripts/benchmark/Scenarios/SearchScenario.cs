using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dandelion.Benchmark.Load;
using Dandelion.Benchmark.Measuring;
using Dandelion.Benchmark.Running;
using Dandelion.Benchmark.Seeding;
using StackExchange.Redis;
using static Dandelion.Benchmark.Running.ScenarioContext;

namespace Dandelion.Benchmark.Scenarios;

/// <summary>
/// 3. SEARCH at growing numbers of registered boxes, spread over real-world places and all in
/// one city, from publishers spread the same way; plus the longest command Redis ran meanwhile
/// (SLOWLOG, which keeps every command over 1 ms here). Boxes are registered through the
/// entrance's own EXCHANGE code (<see cref="EntranceSeeder"/>). Peer: the smallest ASP.NET Core
/// WebSocket server answering each SEARCH with a real SEARCH reply of this size.
/// </summary>
internal static class SearchScenario
{
    private const string Name = "3 search";

    public static async Task RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        await using var testbed = context.NewTestbed("search");
        var places = context.Places(testbed.GeoIpDatabase);
        var (redis, redisPort) = await testbed.StartRedisAsync(cancellationToken);
        // Seeded boxes are version 1: they stay until their expiry, which outlasts the scenario.
        var heartbeat = TimeSpan.FromMinutes(20);
        var expiry = TimeSpan.FromHours(3);
        await using var workers = await context.StartWorkersAsync(places.World, testbed.Group.LogDirectory);
        using var admin = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redisPort},allowAdmin=true,syncTimeout=60000,asyncTimeout=60000");
        await using var seeder = EntranceSeeder.Create(EntranceSeeder.Settings($"127.0.0.1:{redisPort}", "bench", heartbeat, expiry, testbed.GeoIpDatabase),
            Path.Combine(testbed.Group.RunDirectory, "seeder"));

        foreach (var (layout, boxIps) in new[] { ("spread over the world", places.World), ($"all in one city ({places.CityName})", places.OneCity) })
        {
            await admin.GetServers()[0].FlushAllDatabasesAsync();
            // A fresh entrance per layout: its SEARCH index loads what Redis holds and follows every change after.
            var (entrance, url) = await testbed.StartEntranceAsync(redisPort, "bench", heartbeat, expiry, cancellationToken);
            var ws = new Uri($"ws://127.0.0.1:{url.Port}/dandelion/ws/");
            var registered = 0;
            foreach (var size in options.SearchSizes)
            {
                var seeding = Stopwatch.StartNew();
                await seeder.RegisterAsync(registered, size - registered, boxIps, cancellationToken);
                var seedRate = (size - registered) / seeding.Elapsed.TotalSeconds;
                registered = size;
                await WaitUntilIndexedAsync(url, testbed.OperatorKey, size, cancellationToken);
                var what = $"{N(size)} boxes {layout} (registered at {N(seedRate)}/s)";
                try
                {
                    await MeasureAsync(context, workers, testbed, admin, entrance.Id, redis.Id, ws, what, boxIps, cancellationToken);
                }
                catch (RedisException ex)
                {
                    context.Report.Add(new ResultRow(Name, $"SEARCH, {what}", "", "", null, "", "", ex.GetType().Name + ": " + ex.Message.Split('\n')[0]));
                }
            }
            await testbed.Group.StopAsync(entrance);
        }
    }

    /// <summary>Waits (up to 10 minutes) until the entrance's SEARCH index holds every seeded box (<c>GET /api/stats</c>, with the operator key).</summary>
    public static async Task WaitUntilIndexedAsync(Uri entrance, string operatorKey, int size, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = entrance, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", operatorKey);
        var clock = Stopwatch.StartNew();
        long held = 0;
        while (clock.Elapsed < TimeSpan.FromMinutes(10))
        {
            using var stats = JsonDocument.Parse(await http.GetStringAsync("api/stats", cancellationToken));
            held = stats.RootElement.GetProperty("boxesInThisEntrancesIndex").GetInt64();
            if (held >= size)
                return;
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
        throw new TimeoutException($"The entrance's SEARCH index held {held:N0} of {size:N0} seeded boxes after 10 minutes.");
    }

    private static async Task MeasureAsync(ScenarioContext context, WorkerPool workers, Testbed testbed, ConnectionMultiplexer admin,
        int entrancePid, int redisPid, Uri ws, string what, string[] publisherIps, CancellationToken cancellationToken)
    {
        var concurrency = context.Options.SearchConcurrency;
        var reply = await Replies.RequestAsync(ws, BoxMessages.Search(BoxMessages.PublisherId(1), publisherIps[0]), cancellationToken);
        await using var peer = new CannedPeer(testbed, reply);
        var server = admin.GetServers()[0];
        await WaitUntilIdleAsync(server, cancellationToken);
        await server.SlowlogResetAsync();
        var before = ProcessFigures.Read(entrancePid);
        var redisBefore = ProcessFigures.Read(redisPid);
        var ours = await workers.RunClosedAsync(new WorkerCommand("closed", ws.ToString(), "search", Concurrency: concurrency,
            Seconds: context.Options.Measure.TotalSeconds, Ips: publisherIps));
        var after = ProcessFigures.Read(entrancePid);
        var redisAfter = ProcessFigures.Read(redisPid);
        // Commands the entrance gave up on still run in Redis: how long it stays busy after the load stops.
        var busy = await WaitUntilIdleAsync(server, cancellationToken);
        var longest = await LongestCommandAsync(server);

        var (peerProcess, peerUrl) = await peer.StartAsync(cancellationToken);
        var peerBefore = ProcessFigures.Read(peerProcess.Id);
        var theirs = await workers.RunClosedAsync(new WorkerCommand("closed", $"ws://127.0.0.1:{peerUrl.Port}/ws", "search",
            Concurrency: concurrency, Seconds: context.Options.Measure.TotalSeconds, Ips: publisherIps));
        var peerAfter = ProcessFigures.Read(peerProcess.Id);

        context.Report.Add(new ResultRow(Name,
            $"SEARCH, {what}, concurrency {concurrency}",
            $"{N(ours.PerSecond)}/s, p50 {Ms(ours.Latency.Percentile(0.5))}, p99 {Ms(ours.Latency.Percentile(0.99))}; longest Redis command {longest}" +
                (busy > TimeSpan.FromSeconds(1) ? $"; Redis still busy {busy.TotalSeconds:0} s after the load stopped" : "") +
                (ours.Errors > 0 ? $"; {N(ours.Errors)} errors ({ours.FirstError})" : ""),
            $"canned ASP.NET WebSocket server, same {N(reply.Length)}-byte reply: {N(theirs.PerSecond)}/s ({peerAfter.Describe("peer", peerBefore)})",
            theirs.PerSecond > 0 ? ours.PerSecond / theirs.PerSecond : null,
            "p99 < 5 ms, >= 10,000/s, no Redis command over 1 ms (at 1M)",
            $"{after.Describe("entrance", before)}, {after.CpuPer(before, ours.Answered, "SEARCH")}; {redisAfter.Describe("redis", redisBefore)}"));
    }

    /// <summary>Waits (up to 20 minutes) until Redis answers PING again; returns how long that took.</summary>
    private static async Task<TimeSpan> WaitUntilIdleAsync(IServer server, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await server.PingAsync();
                return clock.Elapsed;
            }
            catch (RedisTimeoutException) when (clock.Elapsed < TimeSpan.FromMinutes(20))
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary><c>41.2 ms (GEOSEARCH)</c>, or <c>under 1 ms</c> when the slow log kept nothing.</summary>
    private static async Task<string> LongestCommandAsync(IServer server)
    {
        // Not the benchmark's own SLOWLOG RESET, which the slow log keeps when it takes over 1 ms.
        var entries = (await server.SlowlogGetAsync(1024))
            .Where(e => e.Arguments.Length == 0 || !string.Equals(e.Arguments[0].ToString(), "SLOWLOG", StringComparison.OrdinalIgnoreCase)).ToArray();
        if (entries.Length == 0)
            return "under 1 ms";
        var longest = entries.MaxBy(e => e.Duration)!;
        return $"{Ms(longest.Duration.TotalMilliseconds)} ({(longest.Arguments.Length > 0 ? longest.Arguments[0].ToString().ToUpperInvariant() : "?")}, {entries.Length} over 1 ms)";
    }
}
