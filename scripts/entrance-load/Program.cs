using System.Globalization;
using Dandelion.EntranceLoad;
using Dandelion.Testing;
using StackExchange.Redis;

// dotnet run -c Release --project scripts/entrance-load -- search 10000,100000,1000000 globe [seconds] [clients]
//                                                        -- exchange [boxes] [seconds]
//                                                        -- sessions [count]
var mode = args.ElementAtOrDefault(0) ?? "search";
var invariant = CultureInfo.InvariantCulture;
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");

switch (mode)
{
    case "search":
    {
        var sizes = (args.ElementAtOrDefault(1) ?? "10000,100000").Split(',').Select(int.Parse).ToArray();
        var city = args.ElementAtOrDefault(2) == "city";
        var seconds = int.Parse(args.ElementAtOrDefault(3) ?? "20", invariant);
        var clients = int.Parse(args.ElementAtOrDefault(4) ?? "16", invariant);
        Console.WriteLine("| boxes | layout | load into index | SEARCH/s | p50 ms | p99 ms | errors | slowest Redis command (µs) | entrance CPU | entrance RSS |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var size in sizes)
        {
            await using var redis = await RedisServer.StartAsync();
            var filled = await Population.FillAsync(redis.ConnectionString, "load", size, city);
            Console.Error.WriteLine($"{size} boxes registered in {filled.TotalSeconds:0.0} s");
            using var admin = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",allowAdmin=true");
            var server = admin.GetServers()[0];
            await server.ConfigSetAsync("slowlog-log-slower-than", 50);
            await server.SlowlogResetAsync();

            var loading = DateTime.UtcNow;
            await using var entrance = await NodeProcess.StartEntranceAsync(redis.ConnectionString, "load");
            var random = new Random(3);
            var searches = Enumerable.Range(0, 512).Select(_ =>
            {
                var (lat, lon) = city ? Places.City(random) : Places.Globe(random);
                var at = string.Create(invariant, $"\"LAT\":{lat},\"LON\":{lon}");
                return Load.Utf8("{\"ID\":\"publisher-0123456789abcdef0123456789abcdef\",\"IP\":\"127.0.0.1\",\"TYPE\":\"PUBLISHER\",\"COMMAND\":\"SEARCH\",\"VERSION\":2,\"COUNT\":20,\"LOCATION\":{" + at + "}}");
            }).ToArray();
            // Ready when a SEARCH answers with boxes (the index loads in the background).
            while ((await Load.RunAsync(entrance.WebSocket, 1, TimeSpan.FromMilliseconds(1), (_, _) => searches[0])).Errors > 0)
                await Task.Delay(200);
            var loaded = DateTime.UtcNow - loading;
            await Load.RunAsync(entrance.WebSocket, clients, TimeSpan.FromSeconds(3), (c, n) => searches[(c * 31 + n) % searches.Length]);
            await server.SlowlogResetAsync();
            var cpu = entrance.CpuTime();
            var result = await Load.RunAsync(entrance.WebSocket, clients, TimeSpan.FromSeconds(seconds), (c, n) => searches[(c * 31 + n) % searches.Length]);
            var cpuShare = (entrance.CpuTime() - cpu).TotalSeconds / result.Seconds;
            var slow = await server.SlowlogGetAsync(1000);
            var slowest = slow.Length == 0 ? "none over 50" : $"{slow.Max(s => s.Duration.TotalMicroseconds):0} ({slow.MaxBy(s => s.Duration)!.Arguments[0]})";
            Console.WriteLine(string.Create(invariant,
                $"| {size:N0} | {(city ? "one city" : "globe")} | {loaded.TotalSeconds:0.0} s | {result.PerSecond:N0} | {result.P50Ms:0.00} | {result.P99Ms:0.00} | {result.Errors} | {slowest} | {cpuShare * 100:0}% | {entrance.ResidentBytes() / 1048576} MiB |"));
        }
        break;
    }
    case "exchange":
    {
        // one entrance on one Redis, then three entrances on a 3-master 3-replica cluster
        var boxes = int.Parse(args.ElementAtOrDefault(1) ?? "96", invariant);
        var seconds = int.Parse(args.ElementAtOrDefault(2) ?? "20", invariant);
        Console.WriteLine("| set-up | sessions | EXCHANGE/s | p50 ms | p99 ms | errors | keys per master |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        await using (var redis = await RedisServer.StartAsync())
        {
            await using var entrance = await NodeProcess.StartEntranceAsync(redis.ConnectionString, "load", Settings());
            await Exchanges.RunAsync([entrance], boxes, TimeSpan.FromSeconds(3));
            var result = await Exchanges.RunAsync([entrance], boxes, TimeSpan.FromSeconds(seconds));
            var keys = await Exchanges.KeysPerMasterAsync(redis.ConnectionString);
            Console.WriteLine(string.Create(invariant, $"| 1 entrance, 1 Redis | {boxes} | {result.PerSecond:N0} | {result.P50Ms:0.00} | {result.P99Ms:0.00} | {result.Errors} | {keys} |"));
        }
        await using (var cluster = await RedisCluster.StartAsync())
        {
            var entrances = new List<NodeProcess>();
            for (var i = 0; i < 3; i++)
                entrances.Add(await NodeProcess.StartEntranceAsync(cluster.ConnectionString, "load", Settings()));
            await Exchanges.RunAsync(entrances, boxes, TimeSpan.FromSeconds(3));
            var result = await Exchanges.RunAsync(entrances, boxes, TimeSpan.FromSeconds(seconds));
            var keys = await Exchanges.KeysPerMasterAsync(cluster.ConnectionString);
            Console.WriteLine(string.Create(invariant, $"| 3 entrances, 3+3 cluster | {boxes} | {result.PerSecond:N0} | {result.P50Ms:0.00} | {result.P99Ms:0.00} | {result.Errors} | {keys} |"));
            foreach (var entrance in entrances)
                await entrance.DisposeAsync();
        }
        break;
    }
    case "sessions":
    {
        var count = int.Parse(args.ElementAtOrDefault(1) ?? "5000", invariant);
        await using var redis = await RedisServer.StartAsync();
        await using var entrance = await NodeProcess.StartEntranceAsync(redis.ConnectionString, "load", Settings());
        var (per, before, after) = await Exchanges.SessionMemoryAsync(entrance, count);
        Console.WriteLine(string.Create(invariant, $"| {count:N0} version 2 sessions | RSS {before / 1048576} → {after / 1048576} MiB | {per / 1024:0.0} KiB per session |"));
        break;
    }
    case "redis-memory":
    {
        var count = int.Parse(args.ElementAtOrDefault(1) ?? "100000", invariant);
        await using var redis = await RedisServer.StartAsync();
        using var admin = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",allowAdmin=true");
        var server = admin.GetServers()[0];
        long Used(IGrouping<string, KeyValuePair<string, string>>[] info) => long.Parse(info.SelectMany(g => g).First(p => p.Key == "used_memory").Value, invariant);
        var before = Used(await server.InfoAsync("memory"));
        await Population.FillAsync(redis.ConnectionString, "load", count, city: false);
        var after = Used(await server.InfoAsync("memory"));
        Console.WriteLine(string.Create(invariant, $"| {count:N0} boxes | Redis used_memory {(after - before) / 1048576} MiB | {(after - before) / (double)count:0} B per box |"));
        break;
    }
    case "index":
    {
        Console.WriteLine("| boxes | layout | index memory per box | SEARCH wall p50 | wall p99 | mean CPU, one core | reply |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var size in (args.ElementAtOrDefault(1) ?? "10000,100000,1000000").Split(',').Select(int.Parse))
            IndexBench.Run(size, args.ElementAtOrDefault(2) == "city");
        break;
    }
    default:
        Console.Error.WriteLine($"unknown mode {mode}");
        return 2;
}
return 0;

// Long enough that the boxes stay live through a run; heartbeats at the default 5 s.
static IReadOnlyDictionary<string, string> Settings() => new Dictionary<string, string> { ["Entrance:MaxConnectionsPerAddress"] = "200000" };
