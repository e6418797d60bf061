using System.Buffers;
using System.Net.WebSockets;

namespace Dandelion.Shared.WebSockets;

public enum ReceiveOutcome
{
    /// <summary>A whole message is in the buffer.</summary>
    Message,
    /// <summary>The peer sent a close frame or the stream ended.</summary>
    Closed,
    /// <summary>The message passed the size limit; what was read is discarded.</summary>
    TooBig,
}

/// <summary>
/// One whole WebSocket message in a buffer rented from <see cref="ArrayPool{T}.Shared"/>.
/// Dispose returns the buffer; the span must not be used after that.
/// </summary>
public struct ReceivedMessage : IDisposable
{
    private byte[]? _buffer;

    internal ReceivedMessage(ReceiveOutcome outcome, WebSocketMessageType type, byte[]? buffer, int length)
    {
        Outcome = outcome;
        Type = type;
        _buffer = buffer;
        Length = length;
    }

    public ReceiveOutcome Outcome { get; }
    public WebSocketMessageType Type { get; }
    public int Length { get; }

    public readonly ReadOnlySpan<byte> Span => _buffer is null ? default : _buffer.AsSpan(0, Length);
    public readonly ReadOnlyMemory<byte> Memory => _buffer is null ? default : _buffer.AsMemory(0, Length);

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
