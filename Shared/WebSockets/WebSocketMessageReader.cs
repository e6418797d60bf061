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
    /// <param name="maxBytes">
    /// Largest message accepted, in bytes; a message of exactly this size passes, one byte
    /// more is <see cref="ReceiveOutcome.TooBig"/>. Must not be negative.
    /// </param>
    public static async ValueTask<ReceivedMessage> ReceiveAsync(WebSocket socket, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);

        var probe = await socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        if (probe.MessageType == WebSocketMessageType.Close)
            return new ReceivedMessage(ReceiveOutcome.Closed, WebSocketMessageType.Close, null, 0);
        // An empty message is consumed whole by the zero-byte read: reading on would
        // run into the next message and glue the two together.
        if (probe.EndOfMessage)
            return new ReceivedMessage(ReceiveOutcome.Message, probe.MessageType, null, 0);

        // Room for one byte past the limit, so that a message over it is seen as such.
        var ceiling = (int)Math.Min((long)maxBytes + 1, Array.MaxLength);
        byte[]? buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialBuffer, ceiling));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    // Only reached with length <= maxBytes < ceiling, so the buffer grows.
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, ceiling));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    var old = buffer;
                    buffer = larger;
                    ArrayPool<byte>.Shared.Return(old);
                }

                var result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                    return new ReceivedMessage(ReceiveOutcome.Closed, WebSocketMessageType.Close, null, 0);

                length += result.Count;
                if (length > maxBytes)
                    return new ReceivedMessage(ReceiveOutcome.TooBig, result.MessageType, null, 0);
                if (result.EndOfMessage)
                {
                    var message = new ReceivedMessage(ReceiveOutcome.Message, result.MessageType, buffer, length);
                    buffer = null; // the message owns it now
                    return message;
                }
            }
        }
        finally
        {
            // Every path that does not hand the buffer to a message returns it here, once.
            if (buffer is not null)
                ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
