using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Dandelion.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Dandelion.Box.Tests;

/// <summary>The real box app on two free loopback ports, over its own data directory.</summary>
internal sealed class BoxHost : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;

    private BoxHost(WebApplicationFactory<Program> factory, string dataDirectory, int port, int httpPort)
    {
        _factory = factory;
        DataDirectory = dataDirectory;
        Port = port;
        HttpPort = httpPort;
        Id = Service<Dandelion.Box.Node.BoxNode>().Id;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/") };
    }

    public string DataDirectory { get; }
    public string StorageDirectory => Path.Combine(DataDirectory, "files");
    public string AccessLog => Path.Combine(DataDirectory, "access.log");
    public int Port { get; }
    public int HttpPort { get; }
    public string Id { get; }
    public HttpClient Http { get; }
    public Uri PublishUri => new($"ws://127.0.0.1:{Port}/dandelion/{Id}/ws/");

    /// <param name="time">The box's clock instead of the system's (a <c>FakeTimeProvider</c>).</param>
    public static BoxHost Start(string dataDirectory, IDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var port = FreePort.Next();
        var httpPort = FreePort.Next();
        var all = new Dictionary<string, string?>
        {
            ["Box:DataDirectory"] = dataDirectory,
            ["Box:ListenAddress"] = "127.0.0.1",
            ["Box:PublicHost"] = "127.0.0.1",
            ["Box:Port"] = port.ToString(),
            ["Box:HttpPort"] = httpPort.ToString(),
            ["Box:SweepInterval"] = "00:00:00.200",
            ["Box:Heartbeat"] = "00:00:00.500",
            ["Box:ReconnectMaxDelay"] = "00:00:01",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            all[key] = value;
        // Enrolled as an operator would, unless the test hands it a token of its own.
        if (!all.ContainsKey("Box:Token"))
            TestCredentials.Enrol(dataDirectory, Dandelion.Shared.Identity.NodeRole.Box);

        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in all)
                builder.UseSetting(key, value);
            if (time is not null)
                builder.ConfigureTestServices(services => services.AddSingleton(time));
        });
        factory.UseKestrel();
        factory.StartServer();
        return new BoxHost(factory, dataDirectory, port, httpPort);
    }

    public T Service<T>() where T : notnull =>
        (T)_factory.Services.GetService(typeof(T))!;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _factory.DisposeAsync();
    }

    public async Task<ClientWebSocket> ConnectAsync()
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(PublishUri, CancellationToken.None);
        return socket;
    }

    public static async Task SendTextAsync(WebSocket socket, string json) =>
        await socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The next text message, or null when the socket closed; fails the test after a generous deadline.</summary>
    public static async Task<JsonElement?> ReceiveJsonAsync(WebSocket socket, TimeSpan? within = null)
    {
        using var deadline = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(20));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, deadline.Token);
            if (result.MessageType == WebSocketMessageType.Close)
                return null;
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
                return JsonDocument.Parse(message.ToArray()).RootElement.Clone();
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds; never a fixed sleep.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Timed out waiting for: {what}");
            await Task.Delay(50);
        }
    }

    public static Task EventuallyAsync(Func<bool> condition, string what, TimeSpan? within = null) =>
        EventuallyAsync(() => Task.FromResult(condition()), what, within);
}
