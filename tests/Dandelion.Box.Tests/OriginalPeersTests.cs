using System.Net.WebSockets;
using System.Text.Json;
using Dandelion.Testing;
using StackExchange.Redis;

namespace Dandelion.Box.Tests;

/// <summary>
/// Original (version 1) publishers and boxes against our entrance and box, replayed step by
/// step as the original code does them, with its Redis writes made against a real Redis.
/// </summary>
public sealed class OriginalPeersTests : IAsyncLifetime
{
    private EntranceRig _rig = null!;
    private ConnectionMultiplexer _original = null!;

    public async Task InitializeAsync()
    {
        _rig = await EntranceRig.StartAsync("original", "orig");
        _original = await ConnectionMultiplexer.ConnectAsync(_rig.Redis.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _original.DisposeAsync();
        await _rig.DisposeAsync();
    }

    private static async Task<JsonElement> AskAsync(Uri uri, string message)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(uri, CancellationToken.None);
        await BoxHost.SendTextAsync(socket, message);
        var reply = await BoxHost.ReceiveJsonAsync(socket);
        Assert.NotNull(reply);
        return reply!.Value;
    }

    [Fact]
    public async Task An_original_publisher_stores_every_box_of_a_search_connects_to_ours_and_its_file_is_served()
    {
        await using var entrance = _rig.StartEntrance();
        await using var box = BoxHost.Start(_rig.BoxData, new Dictionary<string, string?>
        {
            ["Box:Entrances:0"] = entrance.WebSocketUrl,
            ["Box:Heartbeat"] = "00:00:00.300",
            // The original publisher cannot show a grant: its owner opts in to take its files.
            ["Box:RequireGrant"] = "false",
        });
        await BoxHost.EventuallyAsync(async () => await entrance.BoxAsync(box.Id) is not null, "the box registered");

        // SEARCH as the original publisher sends it: no VERSION.
        const string publisherId = "publisher-0123456789abcdef0123456789abcdef";
        var search = await AskAsync(new Uri(entrance.WebSocketUrl),
            $$"""{"ID": "{{publisherId}}", "IP": "127.0.0.1", "TYPE": "PUBLISHER", "COMMAND": "SEARCH"}""");
        Assert.False(search.TryGetProperty("VERSION", out _));

        // It keeps each BOX_SET value as the hash {ID}:SEARCH:{BOX_ID} (one HMSET each), then reads it back.
        var redis = _original.GetDatabase();
        foreach (var listed in search.GetProperty("BOX_SET").EnumerateObject())
            await OriginalHash.StoreAsync(redis, $"{publisherId}:SEARCH:{listed.Name}", listed.Value);
        var stored = (await redis.HashGetAllAsync($"{publisherId}:SEARCH:{box.Id}")).ToDictionary(e => (string)e.Name!, e => (string?)e.Value);
        Assert.Equal("127.0.0.1", stored["IP"]);
        Assert.Equal(box.Port.ToString(), stored["PORT"]);

        // Connects to CONNECT_WS, PUBLISHes and sends a file as the original does; no reply to the file.
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(OriginalHash.WebSocketUri(stored["CONNECT_WS"]), CancellationToken.None);
        await BoxHost.SendTextAsync(socket, $$"""{"ID": "{{publisherId}}", "IP": "127.0.0.1", "TYPE": "PUBLISHER", "COMMAND": "PUBLISH"}""");
        var accepted = (await BoxHost.ReceiveJsonAsync(socket))!.Value;
        Assert.Equal("ACCEPTED", accepted.GetProperty("MESSAGE").GetString());
        var bytes = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        await socket.SendAsync(TestPublisher.Version1Frame("/live/original/seg-1.ts", 60, bytes), WebSocketMessageType.Binary, true, CancellationToken.None);

        byte[]? served = null;
        await BoxHost.EventuallyAsync(async () =>
        {
            using var response = await box.Http.GetAsync($"{publisherId}/live/original/seg-1.ts");
            served = response.IsSuccessStatusCode ? await response.Content.ReadAsByteArrayAsync() : null;
            return served is not null;
        }, "the file served");
        Assert.Equal(bytes, served);
    }

    [Fact]
    public async Task An_original_box_stores_our_exchange_reply_and_reaches_every_entrance_it_names()
    {
        var peerPort = FreePort.Next();
        await using var peer = EntranceHost.Start(_rig.Redis.ConnectionString, _rig.Prefix, Directory.CreateDirectory(Path.Combine(_rig.EntranceData, "peer")).FullName, peerPort);
        // The peer written in the original's form, as an operator moving over would copy it.
        await using var entrance = _rig.StartEntrance(new Dictionary<string, string?>
        {
            ["Entrance:Peers:0"] = $"http://127.0.0.1:{peerPort}/dandelion/ws/",
        });
        const string boxId = "box-0123456789abcdef0123456789abcdef";
        var exchange = $$"""
            {"ID": "{{boxId}}", "IP": "127.0.0.1", "PORT": "8080", "TYPE": "BOX", "COMMAND": "EXCHANGE",
             "CONNECT_WS": "http://127.0.0.1:8080/dandelion/{{boxId}}/ws/", "CPU-NUM": "4", "LOADAVG-1": "0.1",
             "MEM-TOTAL": "1000", "MEM-AVAIL": "500", "DISK-TOTAL": "1000", "DISK-AVAIL": "500"}
            """;
        var reply = await AskAsync(new Uri(entrance.WebSocketUrl), exchange);
        Assert.Equal("ACCEPTED", reply.GetProperty("MESSAGE").GetString());
        Assert.False(reply.TryGetProperty("VERSION", out _));

        // The original box keeps the reply as a hash and the URLs as a set, then opens each URL.
        var redis = _original.GetDatabase();
        await OriginalHash.StoreAsync(redis, $"{boxId}:EXCHANGE", reply, "ENTRANCE_URLS");
        var urls = reply.GetProperty("ENTRANCE_URLS").EnumerateArray().Select(u => u.GetString()!).ToList();
        await redis.SetAddAsync($"{boxId}:ENTRANCE_URLS", [.. urls.Select(u => (RedisValue)u)]);
        Assert.Equal([$"http://127.0.0.1:{_rig.EntrancePort}/dandelion/ws/", $"http://127.0.0.1:{peerPort}/dandelion/ws/"], urls);
        foreach (var url in urls)
        {
            var again = await AskAsync(OriginalHash.WebSocketUri(url), exchange);
            Assert.Equal("ACCEPTED", again.GetProperty("MESSAGE").GetString());
        }
    }
}
