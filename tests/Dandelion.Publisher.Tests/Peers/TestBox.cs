using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Dandelion.Shared.Identity;
using Dandelion.Shared.Protocol;
using Dandelion.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Dandelion.Publisher.Tests.Peers;

/// <summary>
/// A box written for the tests, speaking the box side of PUBLISH and file frames over a
/// real socket (version 2, or version 1 like the original), storing files in memory and
/// serving them over HTTP at <c>/{publisher id}{FILE_PATH}</c>, as a real box does.
/// </summary>
internal sealed class TestBox : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly List<WebSocket> _sockets = [];
    private readonly string _scheme;

    private TestBox(int version, TestBoxMode mode, X509Certificate2? tls)
    {
        Version = version;
        Mode = mode;
        Port = FreePort.Next();
        _scheme = tls is null ? "http" : "https";
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, Port, listen =>
        {
            if (tls is not null)
                listen.UseHttps(tls);
        }));
        _app = builder.Build();
        _app.UseWebSockets();
        _app.Map("/dandelion/{id}/ws/", SessionAsync);
        _app.MapGet("/{publisher}/{**path}", (string publisher, string path) =>
            _files.TryGetValue("/" + publisher + "/" + path, out var bytes) ? Results.Bytes(bytes, "application/octet-stream") : Results.NotFound());
    }

    public string Id { get; } = NodeIdentity.New(NodeRole.Box);
    public int Version { get; }
    public TestBoxMode Mode { get; set; }
    /// <summary>The <c>TTL</c> its STORED says the file is kept for; none when null.</summary>
    public long? StoredTtl { get; set; }
    public int Port { get; }
    // Over TLS, written as the original writes it: https://, which the publisher turns into wss://.
    public string ConnectWs => _scheme == "https" ? $"https://127.0.0.1:{Port}/dandelion/{Id}/ws/" : $"ws://127.0.0.1:{Port}/dandelion/{Id}/ws/";
    public string HttpUrl => $"{_scheme}://127.0.0.1:{Port}/";
    /// <summary>Files stored, by <c>/{publisher id}{FILE_PATH}</c>.</summary>
    public IReadOnlyDictionary<string, byte[]> Files => _files;
    /// <summary>Headers of every frame that arrived whole.</summary>
    public ConcurrentQueue<FileHeader> Received { get; } = new();
    public int Sessions;
    /// <summary>Sessions open now.</summary>
    public int OpenSessions;

    /// <param name="tls">Serve TLS with this certificate (and key).</param>
    public static async Task<TestBox> StartAsync(int version = 2, TestBoxMode mode = TestBoxMode.Store, X509Certificate2? tls = null)
    {
        var box = new TestBox(version, mode, tls);
        await box._app.StartAsync();
        return box;
    }

    public RankedBox Ranked(double score, GeoLocation? geo = null) => new()
    {
        Id = Id,
        ConnectWs = ConnectWs,
        HttpUrl = Version >= 2 ? HttpUrl : null,
        Score = score,
        Parts = new ScoreParts(),
        Geo = geo,
    };

    public byte[]? FileFor(string publisherId, string filePath) => _files.GetValueOrDefault("/" + publisherId + filePath);

    /// <summary>Stops the box as a crash would: every socket aborted, the port closed.</summary>
    public async Task KillAsync()
    {
        lock (_sockets)
        {
            foreach (var socket in _sockets)
                socket.Abort();
        }
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        await _app.DisposeAsync();
    }

    private async Task SessionAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        lock (_sockets)
            _sockets.Add(socket);
        Interlocked.Increment(ref Sessions);
        Interlocked.Increment(ref OpenSessions);
        var cancel = context.RequestAborted;
        try
        {
            var first = await ReadMessageAsync(socket, cancel);
            if (first is null)
                return;
            var publish = JsonSerializer.Deserialize(first.Value.Bytes, ProtocolJsonContext.Default.PublishRequest)!;
            var reply = new PublishReply
            {
                Id = Id, Ip = "127.0.0.1", Port = Port.ToString(), Type = NodeTypes.Box, Command = Commands.Publish, Message = "ACCEPTED",
                Version = Version >= 2 ? 2 : null,
                HttpUrl = Version >= 2 ? HttpUrl : null,
                MaxFileSize = Version >= 2 ? 64L * 1024 * 1024 : null,
            };
            await SendAsync(socket, ProtocolJson.Serialize(reply, ProtocolJsonContext.Default.PublishReply), cancel);

            while (true)
            {
                if (Mode == TestBoxMode.DieMidTransfer)
                {
                    // Take the first fragment of a frame, then vanish.
                    var buffer = new byte[1024];
                    var part = await socket.ReceiveAsync(buffer, cancel);
                    if (part.MessageType == WebSocketMessageType.Close)
                        return;
                    socket.Abort();
                    return;
                }
                var message = await ReadMessageAsync(socket, cancel);
                if (message is null)
                    return;
                if (message.Value.Type != WebSocketMessageType.Binary)
                    continue;
                var bytes = message.Value.Bytes;
                if (FileFrame.TryReadHeader(bytes, true, FileFrame.DefaultMaxHeaderBytes, out var header, out var consumed, out _) != FrameHeaderStatus.Complete)
                    continue;
                var body = bytes[consumed..];
                Received.Enqueue(header!);
                var sha = Convert.ToHexStringLower(SHA256.HashData(body));
                if (Version < 2)
                {
                    _files["/" + publish.Id + header!.FilePath] = body;
                    continue;
                }
                switch (Mode)
                {
                    case TestBoxMode.Silent:
                        continue;
                    case TestBoxMode.Refuse:
                        await AnswerAsync(socket, Commands.Refused, header!, null, "quota-exceeded", cancel);
                        continue;
                }
                if (header!.Size != body.Length || header.Sha256 != sha)
                {
                    await AnswerAsync(socket, Commands.Refused, header, null, header.Size != body.Length ? "size-mismatch" : "sha256-mismatch", cancel);
                    continue;
                }
                var key = "/" + publish.Id + header.FilePath;
                _files[key] = body;
                await AnswerAsync(socket, Commands.Stored, header, HttpUrl.TrimEnd('/') + key, null, cancel);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
        }
        finally
        {
            Interlocked.Decrement(ref OpenSessions);
        }
    }

    private async Task AnswerAsync(WebSocket socket, string command, FileHeader header, string? url, string? code, CancellationToken cancel)
    {
        var answer = new FileResult
        {
            Id = Id, Ip = "127.0.0.1", Port = Port.ToString(), Type = NodeTypes.Box, Version = 2, Command = command,
            FilePath = header.FilePath, Size = header.Size, Sha256 = header.Sha256, Url = url,
            Error = code is null ? null : "refused by the test box", Code = code,
            Ttl = command == Commands.Stored ? StoredTtl : null,
        };
        await SendAsync(socket, ProtocolJson.Serialize(answer, ProtocolJsonContext.Default.FileResult), cancel);
    }

    private static Task SendAsync(WebSocket socket, byte[] utf8, CancellationToken cancel) =>
        socket.SendAsync(utf8, WebSocketMessageType.Text, true, cancel);

    internal static async Task<(WebSocketMessageType Type, byte[] Bytes)?> ReadMessageAsync(WebSocket socket, CancellationToken cancel)
    {
        using var stream = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancel);
            if (result.MessageType == WebSocketMessageType.Close)
                return null;
            stream.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
                return (result.MessageType, stream.ToArray());
        }
    }

    public override string ToString() => $"{Id} v{Version} {Mode}";

    internal static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
