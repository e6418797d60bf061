using System.Globalization;
using Dandelion.LocalNetwork;
using Dandelion.Shared.Auth;
using Dandelion.Shared.Identity;

namespace Dandelion.Benchmark.Running;

/// <summary>
/// The processes one scenario measures, started from the apps' build output on free loopback
/// ports through the local network's <see cref="ProcessGroup"/>; disposing stops them all.
/// </summary>
internal sealed class Testbed(ProcessGroup group, string root, string configuration) : IAsyncDisposable
{
    public ProcessGroup Group { get; } = group;
    public string GeoIpDatabase { get; } = Repository.Require(Path.Combine(root, "data", "geoip", "GeoLite2-City.mmdb"), "run ./scripts/setup.sh");

    public static Testbed Create(string runDirectory) =>
        new(new ProcessGroup(runDirectory, TimeSpan.FromMinutes(3)), Repository.FindRoot(), Repository.OwnConfiguration());

    public async Task<(ChildProcess Process, int Port)> StartRedisAsync(CancellationToken cancellationToken) =>
        // No eviction, a slow log that keeps every command over 1 ms: SEARCH's scenario reads it.
        await Group.StartRedisAsync("redis", ["--slowlog-log-slower-than", "1000", "--slowlog-max-len", "1024"], cancellationToken);

    /// <summary>An entrance on <paramref name="redisPort"/>; returns its process and HTTP root. Its WebSocket is <c>{root}dandelion/ws/</c>.</summary>
    public Task<(ChildProcess Process, Uri Url)> StartEntranceAsync(int redisPort, string keyPrefix, TimeSpan heartbeat,
        TimeSpan expiry, CancellationToken cancellationToken) =>
        StartEntranceAsync($"127.0.0.1:{redisPort}", keyPrefix, heartbeat, expiry, "entrance", cancellationToken);

    /// <summary>An entrance named <paramref name="name"/> (its logs and identity) on <paramref name="redis"/> (StackExchange.Redis configuration: one server or a cluster's nodes).</summary>
    public async Task<(ChildProcess Process, Uri Url)> StartEntranceAsync(string redis, string keyPrefix, TimeSpan heartbeat,
        TimeSpan expiry, string name, CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var url = new Uri($"http://127.0.0.1:{port}/");
        var process = await Group.StartDotnetAsync(name, AppDll("Entrance"), new()
        {
            ["urls"] = $"http://127.0.0.1:{port}",
            ["Entrance:Redis"] = redis,
            ["Entrance:KeyPrefix"] = keyPrefix,
            ["Entrance:DataDirectory"] = Path.Combine(Group.RunDirectory, name + "-data"),
            ["Entrance:OperatorKey"] = OperatorKey,
            ["Entrance:GeoIp:CityDatabase"] = GeoIpDatabase,
            ["Entrance:Heartbeat"] = Span(heartbeat),
            ["Entrance:Expiry"] = Span(expiry),
            // Seeded and simulated version 1 boxes are kept as long as version 2 ones.
            ["Entrance:Version1Expiry"] = Span(expiry),
            // The entrance's idle limit must outlast a heartbeat; the default (2 min) unless the heartbeat is longer.
            ["Entrance:IdleTimeout"] = Span(TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(2).Ticks, (heartbeat * 3).Ticks))),
            // Every simulated box connects from loopback: the per-address limit is for the open internet.
            ["Entrance:MaxConnectionsPerAddress"] = "1000000",
            // Auth on, as deployed; the simulated version 1 boxes are let in as an operator with original boxes would.
            ["Entrance:Auth:Secret"] = Load.BoxMessages.Secret,
            ["Entrance:Auth:AllowVersion1"] = "true",
        });
        await Group.WaitAsync(process, () => Group.AnswersAsync(new Uri(url, "dandelion/")), $"the entrance to answer on {url}", cancellationToken);
        return (process, url);
    }

    /// <summary>Keeps a credential for the node's id in its data directory, as its <c>enrol</c> command does.</summary>
    private static void Enrol(string dataDirectory, NodeRole role)
    {
        var id = NodeIdentity.LoadOrCreate(dataDirectory, role);
        CredentialFiles.Save(dataDirectory, role, new NodeCredential(id, NodeToken.Compute(Load.BoxMessages.Secret, id)));
    }

    /// <summary>The operator key this run's entrances are given (their <c>/api</c> wants it).</summary>
    public string OperatorKey { get; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>A box reporting to <paramref name="entranceWs"/>; returns its process, control and file ports, storage and id.</summary>
    public async Task<BenchBox> StartBoxAsync(string name, string entranceWs, CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var httpPort = FreePort.Next();
        var data = Path.Combine(Group.RunDirectory, name + "-data");
        Enrol(data, NodeRole.Box);
        var process = await Group.StartDotnetAsync(name, AppDll("Box"), new()
        {
            ["Box:DataDirectory"] = data,
            ["Box:ListenAddress"] = "127.0.0.1",
            ["Box:PublicHost"] = "127.0.0.1",
            ["Box:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Box:HttpPort"] = httpPort.ToString(CultureInfo.InvariantCulture),
            ["Box:StorageQuota"] = (16L << 30).ToString(CultureInfo.InvariantCulture),
            ["Box:Entrances:0"] = entranceWs,
        });
        await Group.WaitAsync(process, () => Group.AnswersAsync(new Uri($"http://127.0.0.1:{port}/alive")), $"{name} to answer on {port}", cancellationToken);
        var id = (await File.ReadAllTextAsync(Path.Combine(data, "box.id"), cancellationToken)).Trim();
        return new BenchBox(name, process, port, httpPort, data, id);
    }

    /// <summary>A publisher keeping <paramref name="boxes"/> box sessions and <paramref name="replication"/> copies of each file.</summary>
    public async Task<(ChildProcess Process, Uri Url, string Id)> StartPublisherAsync(string entranceWs, string publishDirectory, int boxes,
        int replication, CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var url = new Uri($"http://127.0.0.1:{port}/");
        var data = Path.Combine(Group.RunDirectory, "publisher-data");
        Enrol(data, NodeRole.Publisher);
        var process = await Group.StartDotnetAsync("publisher", AppDll("Publisher"), new()
        {
            ["Publisher:DataDirectory"] = data,
            ["Publisher:Entrances:0"] = entranceWs,
            ["Publisher:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Publisher:PublishDirectories:0"] = publishDirectory,
            ["Publisher:Boxes"] = boxes.ToString(CultureInfo.InvariantCulture),
            ["Publisher:Replication"] = replication.ToString(CultureInfo.InvariantCulture),
            ["Publisher:SearchInterval"] = "00:00:02",
        });
        await Group.WaitAsync(process, () => Group.AnswersAsync(new Uri(url, "alive")), $"the publisher to answer on {url}", cancellationToken);
        var id = (await File.ReadAllTextAsync(Path.Combine(data, "publisher.id"), cancellationToken)).Trim();
        return (process, url, id);
    }

    /// <summary>The canned WebSocket peer (<see cref="Peers.CannedServer"/>) answering with <paramref name="reply"/>.</summary>
    public async Task<(ChildProcess Process, Uri Url)> StartCannedPeerAsync(byte[] reply, CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var file = Path.Combine(Group.RunDirectory, $"canned-{port}.json");
        await File.WriteAllBytesAsync(file, reply, cancellationToken);
        var process = await Group.StartAsync($"peer-{port}", "dotnet",
            [typeof(Testbed).Assembly.Location, "peer", port.ToString(CultureInfo.InvariantCulture), file], Group.RunDirectory);
        var url = new Uri($"http://127.0.0.1:{port}/");
        await Group.WaitAsync(process, () => Group.AnswersAsync(new Uri(url, "alive")), $"the canned peer to answer on {url}", cancellationToken);
        return (process, url);
    }

    public ValueTask DisposeAsync() => Group.DisposeAsync();

    private string AppDll(string app) => Repository.AppDll(root, configuration, app);

    private static string Span(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
