using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Dandelion.Box.Traffic;
using Dandelion.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Dandelion.Box.Tests;

/// <summary>
/// An entrance that says nothing of its limit and closes with 1009 on a larger message, as the
/// original (aiohttp) does: the box's batches shrink until they are taken, an entry too big to
/// go even alone is dropped and counted, and every other entry arrives.
/// </summary>
public sealed class OriginalEntranceLimitTests : IAsyncLifetime
{
    private const int Limit = 4096;
    private readonly string _data = Directory.CreateTempSubdirectory("dandelion-box-v1-limit-").FullName;
    private readonly int _port = FreePort.Next();
    private readonly ConcurrentDictionary<string, string> _counted = new();
    private int _refused;
    private WebApplication _entrance = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{_port}");
        _entrance = builder.Build();
        _entrance.UseWebSockets();
        _entrance.Map("/dandelion/ws/", async (HttpContext context) =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var message = await ReadAsync(socket);
            if (message is null)
            {
                Interlocked.Increment(ref _refused);
                await socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "too big", CancellationToken.None);
                return;
            }
            foreach (var key in message.Value.EnumerateObject().Where(p => p.Name.Contains(":TRAFFIC_FLOW:", StringComparison.Ordinal)))
                _counted[key.Name] = key.Value.GetProperty("url").GetString()!;
            var reply = $$"""
                {"ID": "entrance-0123456789abcdef0123456789abcdef", "TYPE": "ENTRANCE", "IP": "127.0.0.1", "PORT": {{_port}},
                 "ENTRANCE_URLS": [], "MESSAGE": "ACCEPTED", "COMMAND": "EXCHANGE"}
                """;
            await socket.SendAsync(Encoding.UTF8.GetBytes(reply), WebSocketMessageType.Text, true, CancellationToken.None);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        });
        await _entrance.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _entrance.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task Batches_shrink_until_taken_and_an_entry_too_big_even_alone_is_dropped_and_counted()
    {
        // Thirty entries of about 1.6 KB (long paths, which are kept), and one of 7 KB.
        var paths = Enumerable.Range(1, 30).Select(n => $"/p/{new string('a', 1500)}-{n}.ts").ToList();
        var huge = $"/p/{new string('b', 7000)}.ts";
        paths.Insert(10, huge);
        File.WriteAllText(Path.Combine(_data, "access.log"),
            string.Concat(paths.Select(p => $"127.0.0.1 - - [01/Jan/2026:00:00:00 +0000] \"GET {p} HTTP/1.1\" 200 10 \"-\" \"test\"\n")));

        await using var box = BoxHost.Start(_data, new Dictionary<string, string?>
        {
            ["Box:Entrances:0"] = $"ws://127.0.0.1:{_port}/dandelion/ws/",
            ["Box:Heartbeat"] = "00:00:00.200",
        });
        long dropped = 0;
        using var listener = new MeterListener();
        var meters = box.Service<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Name == "dandelion.box.traffic.dropped")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref dropped, value));
        listener.Start();

        var outbox = box.Service<TrafficOutbox>();
        await BoxHost.EventuallyAsync(() => outbox.NextId > 31 && outbox.Count == 0, "every entry sent or dropped", TimeSpan.FromSeconds(120));
        Assert.True(_refused > 0, "the first batches were refused as too big");
        Assert.Equal(paths.Where(p => p != huge).Order(), _counted.Values.Distinct().Order());
        Assert.Equal(1, Interlocked.Read(ref dropped));
    }

    /// <summary>One text message, or null when it is over <see cref="Limit"/> bytes.</summary>
    private static async Task<JsonElement?> ReadAsync(WebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            message.Write(buffer, 0, result.Count);
            if (message.Length > Limit)
                return null;
            if (result.EndOfMessage)
                return JsonDocument.Parse(message.ToArray()).RootElement.Clone();
        }
    }
}
