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
/// An entrance that speaks only version 1, written in the test as the original behaves:
/// it reads one EXCHANGE, answers ACCEPTED without VERSION, and closes; a message over its
/// limit (aiohttp's, here set by a test) it answers with a close with 1009 only.
/// </summary>
public sealed class OriginalEntranceTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("dandelion-box-v1-").FullName;
    private readonly int _port = FreePort.Next();
    private readonly ConcurrentQueue<JsonElement> _exchanges = new();
    private int _limit = int.MaxValue;
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
            var (exchange, tooBig) = await ReadAsync(socket);
            if (tooBig)
            {
                // As aiohttp does past its limit: no answer, a close with 1009.
                Interlocked.Increment(ref _refused);
                await socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "too big", CancellationToken.None);
                return;
            }
            if (exchange is null)
                return;
            _exchanges.Enqueue(exchange.Value);
            var reply = $$"""
                {"ID": "entrance-0123456789abcdef0123456789abcdef", "TYPE": "ENTRANCE", "IP": "127.0.0.1", "PORT": {{_port}},
                 "ENTRANCE_URLS": ["http://127.0.0.1:{{_port}}/dandelion/ws/"], "MESSAGE": "ACCEPTED", "COMMAND": "EXCHANGE"}
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
    public async Task Against_an_original_entrance_the_box_connects_sends_and_closes_every_heartbeat_in_version_1()
    {
        await using var box = BoxHost.Start(_data, new Dictionary<string, string?>
        {
            ["Box:Entrances:0"] = $"ws://127.0.0.1:{_port}/dandelion/ws/",
            ["Box:Heartbeat"] = "00:00:00.200",
        });
        var (publisher, _) = await TestPublisher.ConnectAsync(box, version: 2);
        using (publisher)
            await publisher.PutAsync(TestPublisher.Version2Frame("/v1/seg.ts", 600, new byte[77]));
        await BoxHost.EventuallyAsync(() => _exchanges.Count >= 3, "three EXCHANGEs");

        var all = _exchanges.ToArray();
        Assert.Equal(2, all[0].GetProperty("VERSION").GetInt32());                 // the first one asks for version 2
        // The original entrance keeps every EXCHANGE, the probe too, with one HMSET: flat values only
        // (the version 1 traffic entries are taken out first).
        Assert.All(all, e => Assert.All(e.EnumerateObject().Where(p => !p.Name.Contains(":TRAFFIC_FLOW:", StringComparison.Ordinal)),
            p => Assert.True(p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number, $"{p.Name} is a {p.Value.ValueKind}")));
        // It advertises itself in its http:// form: the same entrance, so still one session.
        Assert.Equal([$"ws://127.0.0.1:{_port}/dandelion/ws/"], box.Service<Dandelion.Box.Entrances.EntranceDirectory>().Urls);
        var v1 = all.Skip(1).ToList();
        Assert.All(v1, e => Assert.False(e.TryGetProperty("VERSION", out _)));     // then the original's form only
        Assert.All(v1, e => Assert.False(e.TryGetProperty("TRAFFIC", out _)));
        var sample = v1[0];
        Assert.Equal("BOX", sample.GetProperty("TYPE").GetString());
        Assert.Equal(box.Id, sample.GetProperty("ID").GetString());
        foreach (var key in new[] { "PORT", "CPU-HZ", "CPU-NUM", "CPU-USR", "CPU-SYS", "CPU-NIC", "CPU-IDLE", "CPU-IO", "CPU-IRQ", "CPU-SIRQ",
                     "LOADAVG-1", "LOADAVG-5", "LOADAVG-15", "MEM-TOTAL", "MEM-AVAIL", "DISK-TOTAL", "DISK-AVAIL", "CONNECT_WS" })
            Assert.Equal(JsonValueKind.String, sample.GetProperty(key).ValueKind);

        var outbox = box.Service<TrafficOutbox>();
        Assert.Equal(77, (await box.Http.GetByteArrayAsync($"{publisher.Id}/v1/seg.ts")).Length);
        Assert.Equal(77, (await box.Http.GetByteArrayAsync($"{publisher.Id}/v1/seg.ts")).Length);
        var prefix = box.Id + ":TRAFFIC_FLOW:log-";
        await BoxHost.EventuallyAsync(() => _exchanges.Any(e => e.EnumerateObject().Count(p => p.Name.StartsWith(prefix, StringComparison.Ordinal)) == 2),
            "both requests sent as version 1 traffic keys");
        var carrying = _exchanges.First(e => e.EnumerateObject().Any(p => p.Name.StartsWith(prefix, StringComparison.Ordinal)));
        var entry = carrying.EnumerateObject().First(p => p.Name.StartsWith(prefix, StringComparison.Ordinal));
        Assert.Matches("^log-[0-9a-f]{32}$", entry.Name[(box.Id.Length + ":TRAFFIC_FLOW:".Length)..]);
        Assert.Equal($"/{publisher.Id}/v1/seg.ts", entry.Value.GetProperty("url").GetString());
        Assert.Equal("200", entry.Value.GetProperty("status").GetString());
        Assert.Equal("77", entry.Value.GetProperty("size").GetString());

        // ACCEPTED is the only acknowledgement version 1 has: the entries go after it.
        await BoxHost.EventuallyAsync(() => outbox.Count == 0, "entries dropped after ACCEPTED");
    }

    [Fact]
    public async Task Against_a_limit_it_does_not_say_batches_shrink_until_taken_and_an_entry_too_big_alone_is_dropped_and_counted()
    {
        _limit = 4096;
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
        var sent = _exchanges.SelectMany(e => e.EnumerateObject()).Where(p => p.Name.Contains(":TRAFFIC_FLOW:", StringComparison.Ordinal))
            .Select(p => p.Value.GetProperty("url").GetString()).Distinct().Order();
        Assert.Equal(paths.Where(p => p != huge).Order(), sent);
        Assert.Equal(1, Interlocked.Read(ref dropped));
    }

    /// <summary>One text message; tooBig when it is over the limit, null when the socket closed.</summary>
    private async Task<(JsonElement? Message, bool TooBig)> ReadAsync(WebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
                return (null, false);
            message.Write(buffer, 0, result.Count);
            if (message.Length > _limit)
                return (null, true);
            if (result.EndOfMessage)
                return (JsonDocument.Parse(message.ToArray()).RootElement.Clone(), false);
        }
    }
}
