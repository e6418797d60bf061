using System.Net.Http.Json;
using Dandelion.Publisher.Configuration;
using Dandelion.Publisher.Placement;
using Dandelion.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dandelion.Publisher.Tests;

/// <summary>
/// The real publisher app on Kestrel, on a free loopback port, with its own data and
/// publish directories. <see cref="Viewer"/> does not follow redirects, so a test sees
/// each 302 as a player would.
/// </summary>
internal sealed class PublisherHost : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;

    private PublisherHost(WebApplicationFactory<Program> factory, int port, string root, TestCertificates? tls)
    {
        _factory = factory;
        Port = port;
        Root = root;
        Viewer = new HttpClient(tls?.Trusting() ?? new HttpClientHandler { AllowAutoRedirect = false })
        {
            BaseAddress = new Uri($"{(tls is null ? "http" : "https")}://127.0.0.1:{port}/"),
        };
    }

    public int Port { get; }
    /// <summary>Holds <c>data/</c>, the publish directory <c>pub/</c> and the live directory <c>live/</c>.</summary>
    public string Root { get; }
    public string PublishDirectory => Path.Combine(Root, "pub");
    public string LiveDirectory => Path.Combine(Root, "live");
    public HttpClient Viewer { get; }
    public IServiceProvider Services => _factory.Services;
    public string Id => Services.GetRequiredService<PublisherIdentity>().Id;
    public IFilePublisher Publisher => Services.GetRequiredService<IFilePublisher>();

    /// <param name="tls">Given: the publisher serves TLS with its certificate and trusts its CA for entrances and boxes; <see cref="Viewer"/> trusts it too.</param>
    public static Task<PublisherHost> StartAsync(IEnumerable<string> entrances, IDictionary<string, string?>? settings = null, TestCertificates? tls = null)
    {
        var root = Directory.CreateTempSubdirectory("dandelion-publisher-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "pub"));
        Directory.CreateDirectory(Path.Combine(root, "live"));
        var port = FreePort.Next();
        var config = new Dictionary<string, string?>
        {
            ["Publisher:DataDirectory"] = Path.Combine(root, "data"),
            ["Publisher:Port"] = port.ToString(),
            ["Publisher:PublishDirectories:0"] = Path.Combine(root, "pub"),
            ["Publisher:LiveDirectory"] = Path.Combine(root, "live"),
            ["Publisher:Boxes"] = "4",
            ["Publisher:Replication"] = "2",
            ["Publisher:SearchInterval"] = "00:00:02",
            ["Publisher:SendTimeout"] = "00:00:05",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var i = 0;
        foreach (var entrance in entrances)
            config[$"Publisher:Entrances:{i++}"] = entrance;
        if (tls is not null)
        {
            config["Publisher:Tls:Certificate"] = tls.CertificatePath;
            config["Publisher:Tls:Key"] = tls.KeyPath;
            config["Publisher:Tls:CaBundle"] = tls.CaPath;
            config["Publisher:BoxTls:CaBundle"] = tls.CaPath;
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            config[key] = value;
        // Enrolled as an operator would, unless the test hands it a token of its own.
        if (!config.ContainsKey("Publisher:Token") && config["Publisher:DataDirectory"] is { } data)
            TestCredentials.Enrol(data, Dandelion.Shared.Identity.NodeRole.Publisher);

        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.ConfigureAppConfiguration((_, c) => c.AddInMemoryCollection(config));
            web.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        });
        factory.UseKestrel();
        factory.StartServer();
        return Task.FromResult(new PublisherHost(factory, port, root, tls));
    }

    /// <summary>Writes a file of random bytes under the publish directory and returns its full path.</summary>
    public string WriteFile(string relative, int size, int seed = 1)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        var path = Path.Combine(PublishDirectory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public async Task<FileStatus?> StatusAsync(string filePath)
    {
        using var response = await Viewer.GetAsync("api/files" + filePath);
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<FileStatus>() : null;
    }

    public async ValueTask DisposeAsync()
    {
        Viewer.Dispose();
        await _factory.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
