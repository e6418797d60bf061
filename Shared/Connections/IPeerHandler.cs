using Dandelion.Shared.Protocol;

namespace Dandelion.Shared.Connections;

/// <summary>
/// The protocol half of a connection: what a role does with each message. The transport half,
/// <see cref="PeerConnection"/>, calls it from its one receive loop, one message at a time,
/// never after this side has closed.
/// </summary>
public interface IPeerHandler
{
    /// <summary>A whole text message within the size limit; the memory is valid until this returns.</summary>
    ValueTask OnTextAsync(PeerConnection connection, ReadOnlyMemory<byte> utf8, CancellationToken cancellationToken);

    /// <summary>
    /// A binary message, read part by part. Whatever the handler leaves unread is read and
    /// dropped after it returns. By default binary messages are refused (<c>binary-not-accepted</c>).
    /// </summary>
    ValueTask OnBinaryAsync(PeerConnection connection, BinaryMessage message, CancellationToken cancellationToken)
    {
        connection.Refuse(ProtocolError.BinaryNotAccepted(), null);
        return default;
    }

    /// <summary>This side refused the peer (the handler or the transport did): count it.</summary>
    void OnRefused(PeerConnection connection, ProtocolError error)
    {
    }

    /// <summary>The connection has ended, for whatever reason (<see cref="PeerConnection.EndReason"/>).</summary>
    ValueTask OnClosedAsync(PeerConnection connection) => default;
}
