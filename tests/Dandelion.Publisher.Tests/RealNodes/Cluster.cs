using System.Globalization;
using System.Net.Http.Json;
using Dandelion.Publisher.Api;
using Dandelion.Shared.Auth;
using Dandelion.Shared.Identity;
using Dandelion.Testing;

namespace Dandelion.Publisher.Tests.RealNodes;

/// <summary>A real Redis, a real entrance, and real boxes, each box and the entrance in its own process.</summary>
internal sealed class Cluster : IAsyncDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("dandelion-cluster-").FullName;
    private RedisServer? _redis;

    public NodeProcess Entrance { get; private set; } = null!;
    public string EntranceUrl { get; private set; } = "";
    public List<ClusterBox> Boxes { get; } = [];

    /// <summary>The entrance's node secret: the fixtures' (<see cref="TestCredentials"/>) unless the test gives one; boxes are enrolled with it.</summary>
    public string Secret { get; private set; } = TestCredentials.Secret;

    /// <param name="expiry">How long the entrance keeps a box that stopped its heartbeats (<c>Entrance:Expiry</c>).</param>
    public static async Task<Cluster> StartAsync(int boxes, string? secret = null, string expiry = "00:00:05")
    {
        var cluster = new Cluster { Secret = secret ?? TestCredentials.Secret };
        try
        {
            cluster._redis = await RedisServer.StartAsync();
            var port = FreePort.Next();
            cluster.EntranceUrl = $"ws://127.0.0.1:{port}/dandelion/ws/";
            cluster.Entrance = NodeProcess.Start("Entrance", "entrance", new Dictionary<string, string>
            {
                ["urls"] = $"http://127.0.0.1:{port}",
                ["Entrance:Redis"] = cluster._redis.ConnectionString,
                ["Entrance:KeyPrefix"] = "publisher-tests",
                ["Entrance:DataDirectory"] = Path.Combine(cluster._root, "entrance"),
                ["Entrance:GeoIp:CityDatabase"] = RepositoryPaths.GeoLiteCity,
                ["Entrance:Heartbeat"] = "00:00:01",
                ["Entrance:Expiry"] = expiry,
                ["Logging:LogLevel:Default"] = "Warning",
                ["Entrance:Auth:Secret"] = cluster.Secret,
            }, cluster._root);
            await cluster.Entrance.WaitReadyAsync($"http://127.0.0.1:{port}/dandelion/");
            for (var i = 0; i < boxes; i++)
                await cluster.AddBoxAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task<ClusterBox> AddBoxAsync()
    {
        var name = $"box{Boxes.Count}";
        var port = FreePort.Next();
        var httpPort = FreePort.Next();
        var data = Path.Combine(_root, name);
        // The id is made before the box starts, so its token can be given to it.
        var id = NodeIdentity.LoadOrCreate(data, NodeRole.Box);
        var process = NodeProcess.Start("Box", name, new Dictionary<string, string>
        {
            ["Box:DataDirectory"] = data,
            ["Box:ListenAddress"] = "127.0.0.1",
            ["Box:PublicHost"] = "127.0.0.1",
            ["Box:Port"] = port.ToString(),
            ["Box:HttpPort"] = httpPort.ToString(),
            ["Box:Heartbeat"] = "00:00:01",
            ["Box:Entrances:0"] = EntranceUrl,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Box:Token"] = NodeToken.Compute(Secret, id),
        }, _root);
        var box = new ClusterBox(process, port, httpPort, data);
        Boxes.Add(box);
        await process.WaitReadyAsync($"http://127.0.0.1:{port}/alive");
        box.Id = id;
        return box;
    }

    /// <summary>The entrance's operator API with the key it made at first start (<c>operator.key</c>).</summary>
    /// <summary>
    /// A publisher in this process with a session to every box (<c>Boxes</c> their number, <c>Replication</c> 2,
    /// SEARCH every second), returned once it has them all; <paramref name="settings"/> add to or override these.
    /// </summary>
    public async Task<PublisherHost> StartPublisherAsync(IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Publisher:Boxes"] = Boxes.Count.ToString(CultureInfo.InvariantCulture),
            ["Publisher:Replication"] = "2",
            ["Publisher:SearchInterval"] = "00:00:01",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            all[key] = value;
        var publisher = await PublisherHost.StartAsync([EntranceUrl], all);
        try
        {
            await Eventually.Until(async () => (await publisher.Viewer.GetFromJsonAsync<List<BoxView>>("api/boxes"))!.Count >= Boxes.Count,
                $"{Boxes.Count} box sessions");
        }
        catch (TimeoutException ex)
        {
            await publisher.DisposeAsync();
            throw new TimeoutException(ex.Message + "\n" + Output, ex);
        }
        return publisher;
    }

    public HttpClient OperatorApi()
    {
        var client = new HttpClient { BaseAddress = new Uri(EntranceUrl.Replace("ws://", "http://", StringComparison.Ordinal).Replace("dandelion/ws/", "", StringComparison.Ordinal)) };
        var key = File.ReadAllText(Path.Combine(_root, "entrance", "operator.key")).Trim();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>What the processes printed, for a failure message.</summary>
    public string Output => string.Join("\n\n", new[] { Entrance }.Concat(Boxes.Select(b => b.Process)).Where(p => p is not null).Select(p => $"--- {p.Name}\n{p.Output}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var box in Boxes)
            await box.Process.DisposeAsync();
        if (Entrance is not null)
            await Entrance.DisposeAsync();
        if (_redis is not null)
            await _redis.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
