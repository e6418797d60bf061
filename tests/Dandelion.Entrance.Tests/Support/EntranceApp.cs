using Dandelion.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dandelion.Entrance.Tests.Support;

/// <summary>The real entrance on a free loopback port (Kestrel), against a real Redis.</summary>
public sealed class EntranceApp : IAsyncDisposable
{
    private readonly Factory _factory;
    private readonly string _dataDirectory;

    private EntranceApp(Factory factory, string dataDirectory, Uri http)
    {
        _factory = factory;
        _dataDirectory = dataDirectory;
        Http = http;
        WebSocket = new Uri($"ws://{http.Authority}/dandelion/ws/");
        Client = new HttpClient { BaseAddress = http };
        Client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", OperatorKey);
    }

    /// <summary>The operator key every test entrance is given; <see cref="Client"/> sends it.</summary>
    public const string OperatorKey = "test-operator-key-0123456789";

    public Uri Http { get; }
    public string DataDirectory => _dataDirectory;
    public Uri WebSocket { get; }
    public HttpClient Client { get; }
    public IServiceProvider Services => _factory.Services;

    /// <param name="logs">Also receives the entrance's logs, when given.</param>
    public static EntranceApp Start(string redis, string prefix, IDictionary<string, string?>? settings = null, LogCapture? logs = null)
    {
        var data = Directory.CreateTempSubdirectory("dandelion-entrance-").FullName;
        var all = new Dictionary<string, string?>
        {
            ["Entrance:Redis"] = redis,
            ["Entrance:KeyPrefix"] = prefix,
            ["Entrance:DataDirectory"] = data,
            ["Entrance:OperatorKey"] = OperatorKey,
            ["Entrance:GeoIp:CityDatabase"] = RepositoryPaths.GeoLiteCity,
            ["Entrance:Heartbeat"] = "00:00:01",
            ["Entrance:Expiry"] = "00:00:15",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            all[key] = value;
        TestCredentials.AddEntranceDefaults(all);

        var factory = new Factory(all, logs);
        // An explicit loopback listener on a free port. (UseKestrel(0) rewrites the server's
        // addresses after build, which races with the app's own start and fails now and then.)
        factory.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EntranceApp(factory, data, new Uri(address.Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1")));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
    }

    private sealed class Factory(Dictionary<string, string?> settings, LogCapture? logs) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(settings));
            if (logs is not null)
                builder.ConfigureLogging(logging => logging.AddProvider(logs));
        }
    }
}
