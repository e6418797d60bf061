extern alias entrance;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dandelion.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using EntranceProgram = entrance::Program;

namespace Dandelion.Box.Tests;

/// <summary>The real entrance (branch entrance) on a fixed loopback port, so it can be stopped and started again at the same URL.</summary>
internal sealed class EntranceHost : IAsyncDisposable
{
    // Every running test entrance's data directory, where its grant key is kept.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<EntranceHost, string> Running = new();

    private readonly WebApplicationFactory<EntranceProgram> _factory;

    private EntranceHost(WebApplicationFactory<EntranceProgram> factory, int port, string dataDirectory)
    {
        _factory = factory;
        Port = port;
        Running[this] = dataDirectory;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        Client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", OperatorKey);
    }

    public int Port { get; }
    public HttpClient Client { get; }

    /// <summary>The operator key the entrance is given; <see cref="Client"/> sends it.</summary>
    public const string OperatorKey = "test-operator-key-0123456789";
    public string WebSocketUrl => $"ws://127.0.0.1:{Port}/dandelion/ws/";

    public static EntranceHost Start(string redis, string prefix, string dataDirectory, int port, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Entrance:Redis"] = redis,
            ["Entrance:KeyPrefix"] = prefix,
            ["Entrance:DataDirectory"] = dataDirectory,
            ["Entrance:OperatorKey"] = OperatorKey,
            ["Entrance:GeoIp:CityDatabase"] = RepositoryPaths.GeoLiteCity,
            ["Entrance:Heartbeat"] = "00:00:01",
            ["Entrance:Expiry"] = "00:00:30",
            // These tests watch heartbeats arrive through the stored SEQ, which the entrance
            // otherwise rewrites only when something that matters changed (or once a minute).
            ["Entrance:RecordRefresh"] = "00:00:00.001",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
            settings[key] = value;
        TestCredentials.AddEntranceDefaults(settings);
        var factory = new WebApplicationFactory<EntranceProgram>().WithWebHostBuilder(builder =>
        {
            builder.UseUrls($"http://127.0.0.1:{port}");
            // The entrance (as merged) keeps box sessions open through shutdown until the host's
            // 30 s timeout; a short timeout makes the stop an abrupt one, as a crash or kill would be.
            builder.ConfigureServices(services => services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1)));
            builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(settings));
        });
        factory.UseKestrel();
        factory.StartServer();
        return new EntranceHost(factory, port, dataDirectory);
    }

    /// <summary>
    /// The grant for <paramref name="publisherId"/> at <paramref name="box"/> signed by the running test
    /// entrance whose grant key the box was given, as that entrance's SEARCH would hand it; null when
    /// the box knows no such key.
    /// </summary>
    public static string? GrantFor(BoxHost box, string publisherId)
    {
        if (box.Service<Dandelion.Box.Node.BoxNode>().GrantKey is not { } known)
            return null;
        var wanted = known.ExportSubjectPublicKeyInfo();
        foreach (var data in Running.Values)
        {
            var pem = Path.Combine(data, "grant-key.pem");
            if (!File.Exists(pem))
                continue;
            using var key = System.Security.Cryptography.ECDsa.Create();
            key.ImportFromPem(File.ReadAllText(pem));
            if (key.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(wanted))
                return Dandelion.Shared.Auth.PublishGrant.Issue(key, publisherId, box.Id, DateTimeOffset.UtcNow.AddMinutes(5));
        }
        return null;
    }

    /// <summary>The operator API's view of a box, or null when the entrance does not know it.</summary>
    public async Task<JsonObject?> BoxAsync(string id)
    {
        using var response = await Client.GetAsync($"/api/boxes/{id}");
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonObject>();
    }

    public async ValueTask DisposeAsync()
    {
        Running.TryRemove(this, out _);
        Client.Dispose();
        await _factory.DisposeAsync();
    }
}
