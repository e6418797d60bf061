using System.Buffers;
using System.Net.WebSockets;

namespace Dandelion.Shared.Connections;

/// <summary>
/// One binary message as it arrives, read part by part into the handler's own buffer, so a
/// file is never held whole. Each part counts as activity for the idle timeout.
/// </summary>
/// <param name="heard">Told of every part that arrives.</param>
public sealed class BinaryMessage(WebSocket socket, bool ended, Action heard)
{
    private const int DiscardBytes = 16 * 1024;

    /// <summary>The whole message has been read.</summary>
    public bool Ended { get; private set; } = ended;

    /// <summary>The peer sent its close frame in the middle of the message.</summary>
    public bool PeerClosed { get; private set; }

    /// <summary>The next part of the message, into <paramref name="buffer"/> (not empty); 0 once it has ended or the peer closed.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfZero(buffer.Length);
        if (Ended || PeerClosed)
            return 0;
        var result = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
        heard();
        if (result.MessageType == WebSocketMessageType.Close)
        {
            PeerClosed = true;
            return 0;
        }
        Ended = result.EndOfMessage;
        return result.Count;
    }

    /// <summary>Reads and drops the rest of the message, never buffering it; false when the peer closed meanwhile.</summary>
    public async ValueTask<bool> DiscardRestAsync(CancellationToken cancellationToken)
    {
        if (Ended || PeerClosed)
            return !PeerClosed;
        var scratch = ArrayPool<byte>.Shared.Rent(DiscardBytes);
        try
        {
            while (await ReadAsync(scratch, cancellationToken).ConfigureAwait(false) > 0 || !Ended && !PeerClosed)
            {
            }
            return !PeerClosed;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }
}
