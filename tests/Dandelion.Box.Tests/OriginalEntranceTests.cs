using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Dandelion.Box.Traffic;
using Dandelion.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Dandelion.Box.Tests;

/// <summary>
/// An entrance that speaks only version 1, written in the test as the original behaves:
/// it reads one EXCHANGE, answers ACCEPTED without VERSION, and closes.
/// </summary>
public sealed class OriginalEntranceTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("dandelion-box-v1-").FullName;
    private readonly int _port = FreePort.Next();
    private readonly ConcurrentQueue<JsonElement> _exchanges = new();
    private WebApplication _entrance = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{_port}");
        _entrance = builder.Build();
        _entrance.UseWebSockets();
        _entrance.Map("/dandelion/ws/", async (HttpContext context) =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var exchange = await BoxHost.ReceiveJsonAsync(socket);
            if (exchange is null)
                return;
            _exchanges.Enqueue(exchange.Value);
            var reply = $$"""
                {"ID": "entrance-0123456789abcdef0123456789abcdef", "TYPE": "ENTRANCE", "IP": "127.0.0.1", "PORT": {{_port}},
                 "ENTRANCE_URLS": ["ws://127.0.0.1:{{_port}}/dandelion/ws/"], "MESSAGE": "ACCEPTED", "COMMAND": "EXCHANGE"}
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
}
