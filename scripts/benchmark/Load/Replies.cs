using System.Buffers;
using System.Net.WebSockets;

namespace Dandelion.Benchmark.Load;

/// <summary>Reads one whole reply into a pooled buffer and checks it is the answer expected, not an error.</summary>
internal static class Replies
{
    private const int Limit = 4 << 20;

    /// <returns>Null when the reply holds <paramref name="expected"/>; otherwise what was wrong.</returns>
    public static async Task<string?> ReceiveAsync(WebSocket socket, byte[] expected, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length >= Limit)
                        return "reply over 4 MiB";
                    var bigger = ArrayPool<byte>.Shared.Rent(length * 2);
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                    return $"closed by the server ({socket.CloseStatus} {socket.CloseStatusDescription})";
                length += result.Count;
                if (result.EndOfMessage)
                    break;
            }
            var reply = buffer.AsSpan(0, length);
            if (reply.IndexOf("\"ERROR\""u8) >= 0)
                return "error reply: " + System.Text.Encoding.UTF8.GetString(reply[..Math.Min(200, length)]);
            return reply.IndexOf(expected) >= 0 ? null : "unexpected reply";
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Connects, sends <paramref name="message"/> and returns the whole reply: a real reply for a canned peer to send.</summary>
    public static async Task<byte[]> RequestAsync(Uri ws, byte[] message, CancellationToken cancellationToken)
    {
        using var socket = await WebSocketDialer.ConnectAsync(ws, System.Net.IPAddress.Loopback, cancellationToken);
        await socket.SendAsync(message, WebSocketMessageType.Text, true, cancellationToken);
        var buffer = new byte[Limit];
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
            length += result.Count;
        }
        while (!result.EndOfMessage && length < buffer.Length);
        return buffer[..length];
    }
}
