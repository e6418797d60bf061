using System.Buffers;
using System.Net.WebSockets;

namespace Dandelion.Shared.WebSockets;

/// <summary>
/// Reads whole messages from a WebSocket into pooled buffers, however many receives a
/// message takes, and refuses a message over a size limit without buffering it.
/// </summary>
public static class WebSocketMessageReader
{
    private const int InitialBuffer = 4 * 1024;

    /// <summary>
    /// Waits for the next message. While idle no buffer is held (a zero-byte read waits
    /// for data), which keeps a hundred thousand quiet sessions cheap.
    /// </summary>
    public static async ValueTask<ReceivedMessage> ReceiveAsync(WebSocket socket, int maxBytes, CancellationToken cancellationToken)
    {
        var probe = await socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        if (probe.MessageType == WebSocketMessageType.Close)
            return new ReceivedMessage(ReceiveOutcome.Closed, WebSocketMessageType.Close, null, 0);

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialBuffer, Math.Max(maxBytes, 1) + 1));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                        return Discard(buffer, probe.MessageType, ref buffer);
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null!;
                    return new ReceivedMessage(ReceiveOutcome.Closed, WebSocketMessageType.Close, null, 0);
                }

                length += result.Count;
                if (length > maxBytes)
                    return Discard(buffer, result.MessageType, ref buffer);
                if (result.EndOfMessage)
                {
                    var message = new ReceivedMessage(ReceiveOutcome.Message, result.MessageType, buffer, length);
                    buffer = null!;
                    return message;
                }
            }
        }
        finally
        {
            if (buffer is not null)
                ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static ReceivedMessage Discard(byte[] buffer, WebSocketMessageType type, ref byte[] owned)
    {
        ArrayPool<byte>.Shared.Return(buffer);
        owned = null!;
        return new ReceivedMessage(ReceiveOutcome.TooBig, type, null, 0);
    }
}
