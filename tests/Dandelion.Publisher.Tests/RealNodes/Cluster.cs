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

    /// <summary>The certificates every node serves TLS with, or null for plain HTTP.</summary>
    public TestCertificates? Tls { get; private set; }

    /// <param name="expiry">How long the entrance keeps a box that stopped its heartbeats (<c>Entrance:Expiry</c>).</param>
    /// <param name="tls">Given: the entrance and every box serve TLS with its certificate, and boxes trust its CA for the entrance.</param>
    public static async Task<Cluster> StartAsync(int boxes, string? secret = null, string expiry = "00:00:05", TestCertificates? tls = null)
    {
        var cluster = new Cluster { Secret = secret ?? TestCredentials.Secret, Tls = tls };
        try
        {
            cluster._redis = await RedisServer.StartAsync();
            var port = FreePort.Next();
            var (http, ws) = tls is null ? ("http", "ws") : ("https", "wss");
            cluster.EntranceUrl = $"{ws}://127.0.0.1:{port}/dandelion/ws/";
            var settings = new Dictionary<string, string>
            {
                ["urls"] = $"{http}://127.0.0.1:{port}",
                ["Entrance:Redis"] = cluster._redis.ConnectionString,
                ["Entrance:KeyPrefix"] = "publisher-tests",
                ["Entrance:DataDirectory"] = Path.Combine(cluster._root, "entrance"),
                ["Entrance:GeoIp:CityDatabase"] = RepositoryPaths.GeoLiteCity,
                ["Entrance:Heartbeat"] = "00:00:01",
                ["Entrance:Expiry"] = expiry,
                ["Logging:LogLevel:Default"] = "Warning",
                ["Entrance:Auth:Secret"] = cluster.Secret,
            };
            if (tls is not null)
            {
                settings["Entrance:Tls:Certificate"] = tls.CertificatePath;
                settings["Entrance:Tls:Key"] = tls.KeyPath;
            }
            cluster.Entrance = NodeProcess.Start("Entrance", "entrance", settings, cluster._root);
            await cluster.Entrance.WaitReadyAsync($"{http}://127.0.0.1:{port}/dandelion/", tls);
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

    /// <param name="trustEntrance">With <see cref="Tls"/>: whether the box is given the CA that issued the entrance's certificate.</param>
    public async Task<ClusterBox> AddBoxAsync(bool trustEntrance = true)
    {
        var name = $"box{Boxes.Count}";
        var port = FreePort.Next();
        var httpPort = FreePort.Next();
        var data = Path.Combine(_root, name);
        // The id is made before the box starts, so its token can be given to it.
        var id = NodeIdentity.LoadOrCreate(data, NodeRole.Box);
        var settings = new Dictionary<string, string>
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
        };
        if (Tls is not null)
        {
            settings["Box:Tls:Certificate"] = Tls.CertificatePath;
            settings["Box:Tls:Key"] = Tls.KeyPath;
            if (trustEntrance)
                settings["Box:Tls:CaBundle"] = Tls.CaPath;
        }
        var process = NodeProcess.Start("Box", name, settings, _root);
        var box = new ClusterBox(process, port, httpPort, data, Tls is null ? "http" : "https");
        Boxes.Add(box);
        await process.WaitReadyAsync($"{box.Scheme}://127.0.0.1:{port}/alive", Tls);
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
        var client = new HttpClient(Tls?.Trusting() ?? new HttpClientHandler())
        {
            BaseAddress = new Uri($"{(Tls is null ? "http" : "https")}://{new Uri(EntranceUrl).Authority}/"),
        };
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
