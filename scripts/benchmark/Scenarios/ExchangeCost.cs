using System.Net;
using System.Net.WebSockets;
using Dandelion.Benchmark.Load;
using Dandelion.Benchmark.Peers;

namespace Dandelion.Benchmark.Scenarios;

/// <summary>
/// The peer of scenario 1: the Redis commands one steady-state version 2 EXCHANGE costs (recorded
/// by MONITOR while a session sends its second heartbeat), run by redis-benchmark on the same
/// Redis under another key prefix, so the entrance's own indexes are left alone.
/// </summary>
internal static class ExchangeCost
{
    private static readonly string[] Housekeeping = ["PING", "ECHO", "CLIENT", "INFO", "SUBSCRIBE", "CLUSTER", "CONFIG", "SCRIPT"];

    public static async Task<(RedisBenchmark.Result Result, string Commands)> MeasureAsync(int redisPort, Uri entranceWs, string ip,
        int requests, CancellationToken cancellationToken)
    {
        var boxId = BoxMessages.BoxId(987_654_321);
        using var socket = await WebSocketDialer.ConnectAsync(entranceWs, IPAddress.Loopback, cancellationToken);
        var accepted = "ACCEPTED"u8.ToArray();
        await socket.SendAsync(BoxMessages.Exchange(boxId, ip, 1), WebSocketMessageType.Text, true, cancellationToken);
        if (await Replies.ReceiveAsync(socket, accepted, cancellationToken) is { } wrong)
            throw new InvalidOperationException("The entrance did not accept the first EXCHANGE: " + wrong);

        IReadOnlyList<IReadOnlyList<string>> commands;
        await using (var monitor = await RedisCommands.MonitorAsync(redisPort))
        {
            await socket.SendAsync(BoxMessages.Exchange(boxId, ip, 2), WebSocketMessageType.Text, true, cancellationToken);
            if (await Replies.ReceiveAsync(socket, accepted, cancellationToken) is { } wrong2)
                throw new InvalidOperationException("The entrance did not accept the second EXCHANGE: " + wrong2);
            // Fire-and-forget writes may trail the reply.
            await Task.Delay(300, cancellationToken);
            commands = monitor.Seen
                .Where(c => c.Count > 0 && !Housekeeping.Contains(c[0].ToUpperInvariant()) && c.Any(a => a.Contains("bench:", StringComparison.Ordinal)))
                // This box's commands only: the sweep, the SEARCH tallies and other sessions' heartbeats share the connection.
                .Where(c => c.Any(a => a.Contains(boxId, StringComparison.Ordinal)))
                .Select(c => (IReadOnlyList<string>)c.Select(a => a.Replace("bench:", "peer:", StringComparison.Ordinal)).ToList())
                .ToList();
        }
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
        if (commands.Count == 0)
            throw new InvalidOperationException("MONITOR saw no command for an EXCHANGE.");
        var result = await RedisBenchmark.RunAsync(redisPort, commands, boxId, requests, cancellationToken);
        return (result, string.Join(", ", commands.Select(c => c[0].ToUpperInvariant())));
    }
}
