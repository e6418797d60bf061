using System.Globalization;
using Dandelion.Testing;
using StackExchange.Redis;

namespace Dandelion.EntranceLoad;

/// <summary>Heartbeats (version 2 EXCHANGE on held sessions) as fast as the entrances answer, and memory per held session.</summary>
internal static class Exchanges
{
    private static byte[] Exchange(string id, long seq)
    {
        var n = seq.ToString(CultureInfo.InvariantCulture);
        return Load.Utf8("{\"ID\":\"" + id + "\",\"IP\":\"127.0.0.1\",\"PORT\":\"17170\",\"TYPE\":\"BOX\",\"COMMAND\":\"EXCHANGE\",\"VERSION\":2,\"SEQ\":" + n +
            ",\"CONNECT_WS\":\"http://127.0.0.1:17170/dandelion/" + id + "/ws/\",\"HTTP_URL\":\"http://127.0.0.1:17171/\",\"CPU-NUM\":\"4\",\"CPU-USR\":\"" +
            (seq % 50).ToString(CultureInfo.InvariantCulture) + ".0\",\"LOADAVG-1\":\"0.52\",\"MEM-TOTAL\":\"8046348\",\"MEM-AVAIL\":\"6123400\"," +
            "\"DISK-TOTAL\":\"245107195904\",\"DISK-AVAIL\":\"200000000000\",\"STORAGE-QUOTA\":10000000000,\"STORAGE-USED\":1000000000,\"FILES\":12," +
            "\"BANDWIDTH-CEILING\":10000000,\"BANDWIDTH-USED\":0,\"STATE\":\"ACTIVE\",\"TRAFFIC\":[]}");
    }

    /// <summary>Closed loop over <paramref name="boxes"/> sessions spread over the entrances; returns the load result.</summary>
    public static async Task<Load.Result> RunAsync(IReadOnlyList<NodeProcess> entrances, int boxes, TimeSpan duration)
    {
        var ids = Enumerable.Range(0, boxes).Select(i => $"box-{i + 0x100000:x32}").ToArray();
        // One Load per entrance, its share of the boxes; run together.
        var per = boxes / entrances.Count;
        var results = await Task.WhenAll(entrances.Select((e, k) =>
            Load.RunAsync(e.WebSocket, per, duration, (c, n) => Exchange(ids[k * per + c], n + 1))));
        var seconds = results.Max(r => r.Seconds);
        return new Load.Result(results.Sum(r => r.Messages), results.Sum(r => r.Errors), seconds,
            results.Max(r => r.P50Ms), results.Max(r => r.P99Ms), results.Max(r => r.MaxMs), results[0].ReplyBytes);
    }

    public static async Task<string> KeysPerMasterAsync(string redis)
    {
        using var admin = await ConnectionMultiplexer.ConnectAsync(redis + ",allowAdmin=true");
        var sizes = new List<long>();
        foreach (var server in admin.GetServers().Where(s => !s.IsReplica))
            sizes.Add(await server.DatabaseSizeAsync());
        return string.Join(" / ", sizes.Order());
    }

    /// <summary>Resident memory the entrance gains per version 2 session held (each sent one EXCHANGE).</summary>
    public static async Task<(double PerSession, long Before, long After)> SessionMemoryAsync(NodeProcess entrance, int count)
    {
        await Task.Delay(2000);
        var before = entrance.ResidentBytes();
        var sockets = new List<System.Net.WebSockets.ClientWebSocket>();
        var buffer = new byte[64 * 1024];
        for (var i = 0; i < count; i++)
        {
            var socket = new System.Net.WebSockets.ClientWebSocket();
            await socket.ConnectAsync(entrance.WebSocket, default);
            await socket.SendAsync(Exchange($"box-{i + 0x200000:x32}", 1), System.Net.WebSockets.WebSocketMessageType.Text, true, default);
            System.Net.WebSockets.ValueWebSocketReceiveResult received;
            do received = await socket.ReceiveAsync(buffer.AsMemory(), default); while (!received.EndOfMessage);
            sockets.Add(socket);
        }
        await Task.Delay(3000);
        var after = entrance.ResidentBytes();
        foreach (var socket in sockets)
            socket.Abort();
        return ((after - before) / (double)count, before, after);
    }
}
