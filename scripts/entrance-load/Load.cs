using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;

namespace Dandelion.EntranceLoad;

/// <summary>
/// A closed-loop load: <c>clients</c> WebSockets, each sending one message and reading the whole
/// reply before the next, for a while. Latency is per message, from send to the reply's last byte.
/// </summary>
internal static class Load
{
    public sealed record Result(long Messages, long Errors, double Seconds, double P50Ms, double P99Ms, double MaxMs, long ReplyBytes)
    {
        public double PerSecond => Messages / Seconds;
    }

    public static async Task<Result> RunAsync(Uri entrance, int clients, TimeSpan duration, Func<int, long, byte[]> message)
    {
        var latencies = new List<double>[clients];
        var errors = 0L;
        var bytes = 0L;
        var sockets = new ClientWebSocket[clients];
        for (var c = 0; c < clients; c++)
        {
            sockets[c] = new ClientWebSocket();
            await sockets[c].ConnectAsync(entrance, default);
        }
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var mine = latencies[c] = new List<double>(100_000);
            var buffer = new byte[1 << 20];
            for (long n = 0; Stopwatch.GetTimestamp() < deadline; n++)
            {
                var sent = Stopwatch.GetTimestamp();
                await sockets[c].SendAsync(message(c, n), WebSocketMessageType.Text, true, default);
                var length = 0;
                ValueWebSocketReceiveResult received;
                do
                {
                    received = await sockets[c].ReceiveAsync(buffer.AsMemory(length), default);
                    length += received.Count;
                }
                while (!received.EndOfMessage && received.MessageType != WebSocketMessageType.Close);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    Interlocked.Increment(ref errors); // refused and closed: this client stops
                    break;
                }
                mine.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                Interlocked.Add(ref bytes, length);
                if (buffer.AsSpan(0, length).IndexOf("\"ERROR\""u8) >= 0)
                    Interlocked.Increment(ref errors);
            }
        })));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        foreach (var socket in sockets)
        {
            try { await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, new CancellationTokenSource(2000).Token); }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException) { }
            socket.Dispose();
        }
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new Result(all.Length, errors, seconds, Percentile(all, 0.50), Percentile(all, 0.99), all.Length > 0 ? all[^1] : 0,
            all.Length > 0 ? bytes / all.Length : 0);
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
