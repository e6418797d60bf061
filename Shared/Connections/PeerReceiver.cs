using System.Net.WebSockets;
using Dandelion.Shared.Protocol;
using Dandelion.Shared.WebSockets;

namespace Dandelion.Shared.Connections;

/// <summary>
/// The one receive loop of a <see cref="PeerConnection"/>: waits without holding a buffer, reads
/// each text message whole within the size limit (refusing a larger one), hands binary messages
/// to the handler part by part, and tells the deadline of everything heard. Once the connection
/// is closing it reads and drops until the peer's close frame.
/// </summary>
internal sealed class PeerReceiver(WebSocket socket, ConnectionDeadline deadline)
{
    private readonly Action _heard = deadline.Heard;

    /// <summary>Returns when the peer's close frame arrives; throws for a network fault.</summary>
    public async Task RunAsync(PeerConnection connection, IPeerHandler handler, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Waits without holding a buffer: a quiet connection costs no memory.
            var probe = await socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
            deadline.Heard();
            if (probe.MessageType == WebSocketMessageType.Close)
                return;
            if (probe.MessageType == WebSocketMessageType.Binary || connection.IsClosing)
            {
                var parts = new BinaryMessage(socket, probe.EndOfMessage, _heard);
                if (!connection.IsClosing)
                    await handler.OnBinaryAsync(connection, parts, cancellationToken).ConfigureAwait(false);
                if (!await parts.DiscardRestAsync(cancellationToken).ConfigureAwait(false))
                    return;
                deadline.HeardWhole();
                continue;
            }

            var limit = connection.Limits.MaxMessageBytes;
            using var message = await WebSocketMessageReader.ReceiveRestAsync(socket, probe, limit, cancellationToken).ConfigureAwait(false);
            deadline.Heard();
            if (message.Outcome == ReceiveOutcome.Closed)
                return;
            if (message.Outcome == ReceiveOutcome.TooBig)
                connection.Refuse(ProtocolError.TooBig(limit), null);
            else if (!connection.IsClosing)
            {
                deadline.HeardWhole();
                await handler.OnTextAsync(connection, message.Memory, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
