using System.Buffers;
using System.Net.WebSockets;

namespace Dandelion.Shared.WebSockets;

/// <summary>
/// Reads whole messages from a WebSocket into pooled buffers, however many receives a
/// message takes, and refuses a message over a size limit without buffering it.
/// </summary>
public static class WebSocketMessageReader
{
    /// <summary>
    /// Buffers up to this size come from <see cref="ArrayPool{T}.Shared"/>; larger ones are
    /// plain arrays. The shared pool keeps what it is given back, so a burst of large
    /// (perhaps hostile, perhaps abandoned) messages would otherwise stay in memory for good.
    /// </summary>
    public const int PooledBytes = 64 * 1024;

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
        return await ReceiveRestAsync(socket, probe, maxBytes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the message whose start a zero-byte read (<paramref name="probe"/>) has seen.</summary>
    public static async ValueTask<ReceivedMessage> ReceiveRestAsync(WebSocket socket, ValueWebSocketReceiveResult probe, int maxBytes,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        if (probe.MessageType == WebSocketMessageType.Close)
            return new ReceivedMessage(ReceiveOutcome.Closed, WebSocketMessageType.Close, null, 0);
        // An empty message is consumed whole by the zero-byte read: reading on would
        // run into the next message and glue the two together.
        if (probe.EndOfMessage)
            return new ReceivedMessage(ReceiveOutcome.Message, probe.MessageType, null, 0);

        // Room for one byte past the limit, so that a message over it is seen as such.
        var ceiling = (int)Math.Min((long)maxBytes + 1, Array.MaxLength);
        byte[]? buffer = Rent(Math.Min(InitialBuffer, ceiling));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    // Only reached with length <= maxBytes < ceiling, so the buffer grows.
                    var larger = Rent((int)Math.Min((long)buffer.Length * 2, ceiling));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    var old = buffer;
                    buffer = larger;
                    Return(old);
                }

                var result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                    return new ReceivedMessage(ReceiveOutcome.Closed, WebSocketMessageType.Close, null, 0);

                length += result.Count;
                if (length > maxBytes)
                    return new ReceivedMessage(ReceiveOutcome.TooBig, result.MessageType, null, 0);
                if (result.EndOfMessage)
                {
                    var message = new ReceivedMessage(ReceiveOutcome.Message, result.MessageType, buffer, length, IsPooled(buffer));
                    buffer = null; // the message owns it now
                    return message;
                }
            }
        }
        finally
        {
            // Every path that does not hand the buffer to a message gives it back here, once.
            if (buffer is not null)
                Return(buffer);
        }
    }

    private static byte[] Rent(int size) =>
        size <= PooledBytes ? ArrayPool<byte>.Shared.Rent(size) : GC.AllocateUninitializedArray<byte>(size);

    // The pool hands out power-of-two lengths up to PooledBytes; a plain array is larger.
    private static bool IsPooled(byte[] buffer) => buffer.Length <= PooledBytes;

    private static void Return(byte[] buffer)
    {
        if (IsPooled(buffer))
            ArrayPool<byte>.Shared.Return(buffer);
    }
}
