using System.Buffers;
using System.Net.WebSockets;

namespace Dandelion.Shared.WebSockets;

public enum ReceiveOutcome
{
    /// <summary>A whole message is in the buffer.</summary>
    Message,
    /// <summary>The peer sent a close frame or the stream ended.</summary>
    Closed,
    /// <summary>
    /// The message passed the size limit; what was read is discarded. The rest of that
    /// message is still on the socket, so the caller closes (1009 MessageTooBig) rather than
    /// reading on.
    /// </summary>
    TooBig,
}

/// <summary>
/// One whole WebSocket message in a buffer rented from <see cref="ArrayPool{T}.Shared"/>
/// (or, past <see cref="WebSocketMessageReader.PooledBytes"/>, a plain array the garbage
/// collector takes back). Dispose returns the buffer; the span must not be used after that.
/// </summary>
/// <remarks>
/// The buffer is held by a small owner object that every copy of this struct shares, so
/// disposing two copies (a <c>using</c> on a copy, a helper that disposes what it was
/// given) returns the buffer once, and every copy sees an empty span afterwards.
/// </remarks>
public struct ReceivedMessage : IDisposable
{
    private readonly BufferOwner? _owner;

    internal ReceivedMessage(ReceiveOutcome outcome, WebSocketMessageType type, byte[]? buffer, int length, bool pooled = true)
    {
        Outcome = outcome;
        Type = type;
        _owner = buffer is null ? null : new BufferOwner(buffer, pooled);
        Length = length;
    }

    public ReceiveOutcome Outcome { get; }
    public WebSocketMessageType Type { get; }
    public int Length { get; }

    public readonly ReadOnlySpan<byte> Span => _owner?.Buffer is { } buffer ? buffer.AsSpan(0, Length) : default;
    public readonly ReadOnlyMemory<byte> Memory => _owner?.Buffer is { } buffer ? buffer.AsMemory(0, Length) : default;

    public void Dispose() => _owner?.Return();

    private sealed class BufferOwner(byte[] buffer, bool pooled)
    {
        private byte[]? _buffer = buffer;

        public byte[]? Buffer => Volatile.Read(ref _buffer);

        public void Return()
        {
            if (Interlocked.Exchange(ref _buffer, null) is { } returned && pooled)
                ArrayPool<byte>.Shared.Return(returned);
        }
    }
}
