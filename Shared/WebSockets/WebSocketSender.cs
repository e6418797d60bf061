using System.Net.WebSockets;
using System.Threading.Channels;

namespace Dandelion.Shared.WebSockets;

/// <summary>
/// The only writer of one WebSocket: messages are queued on a bounded channel and sent in
/// order by <see cref="RunAsync"/>, so a receive loop, a timer and a push from elsewhere
/// never write at once. A peer too slow to drain the queue is reported, not waited on.
/// </summary>
public sealed class WebSocketSender
{
    /// <summary>RFC 6455 allows 123 bytes of close reason (125 less the status code).</summary>
    private const int MaxCloseDescriptionBytes = 123;

    private readonly WebSocket _socket;
    private readonly Channel<Outbound> _queue;
    // Set once by Close. Kept beside the queue rather than in it: a full queue must not
    // cost the close frame, which is how the peer learns why it is being dropped.
    private CloseRequest? _close;

    public WebSocketSender(WebSocket socket, int capacity = 64)
    {
        _socket = socket;
        _queue = Channel.CreateBounded<Outbound>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Queues a text message; false when the queue is full or closed.</summary>
    public bool TrySendText(ReadOnlyMemory<byte> utf8) =>
        _queue.Writer.TryWrite(new Outbound(utf8, WebSocketMessageType.Text));

    public bool TrySendBinary(ReadOnlyMemory<byte> bytes) =>
        _queue.Writer.TryWrite(new Outbound(bytes, WebSocketMessageType.Binary));

    /// <summary>
    /// Queues a message the send loop writes itself, in turn with the others: one too large
    /// to hold in memory (a file streamed from disk). <paramref name="write"/> must end the
    /// message it starts; it is skipped once the socket can no longer send.
    /// </summary>
    public bool TrySendStreamed(Func<WebSocket, CancellationToken, ValueTask> write) =>
        _queue.Writer.TryWrite(new Outbound(default, WebSocketMessageType.Binary, write));

    /// <summary>
    /// Waits for room in the queue, for senders that should slow down rather than fail.
    /// Throws <see cref="ChannelClosedException"/> once the sender is closed or completed.
    /// </summary>
    public ValueTask SendTextAsync(ReadOnlyMemory<byte> utf8, CancellationToken cancellationToken) =>
        _queue.Writer.WriteAsync(new Outbound(utf8, WebSocketMessageType.Text), cancellationToken);

    /// <summary>
    /// Sends what is queued, then a close frame with this status, then stops. The close frame
    /// is sent even when the queue is full; the first call's status wins. A description longer
    /// than the 123 bytes a close frame can carry is cut short.
    /// </summary>
    public void Close(WebSocketCloseStatus status, string? description)
    {
        Interlocked.CompareExchange(ref _close, new CloseRequest(status, FitCloseDescription(status, description)), null);
        _queue.Writer.TryComplete();
    }

    /// <summary>Stops accepting messages; <see cref="RunAsync"/> ends after the queue drains.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>Drains the queue onto the socket until completed, closed or cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!CanSend)
                    return;
                if (message.Write is { } write)
                    await write(_socket, cancellationToken).ConfigureAwait(false);
                else
                    await _socket.SendAsync(message.Payload, message.Type, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            }

            if (Volatile.Read(ref _close) is { } close && CanSend)
                await _socket.CloseOutputAsync(close.Status, close.Description, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The peer went away; the receive loop notices and ends the session.
        }
        finally
        {
            _queue.Writer.TryComplete();
        }
    }

    private bool CanSend => _socket.State is WebSocketState.Open or WebSocketState.CloseReceived;

    private static string? FitCloseDescription(WebSocketCloseStatus status, string? description)
    {
        // A close frame without a status cannot carry a reason.
        if (status == WebSocketCloseStatus.Empty || string.IsNullOrEmpty(description))
            return null;
        if (Encoding.UTF8.GetByteCount(description) <= MaxCloseDescriptionBytes)
            return description;
        var length = 0;
        var bytes = 0;
        // Cut on a whole character (a surrogate pair counts as one), never inside one.
        while (length < description.Length)
        {
            var step = char.IsSurrogatePair(description, length) ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(description.AsSpan(length, step));
            if (bytes + size > MaxCloseDescriptionBytes)
                break;
            bytes += size;
            length += step;
        }
        return description[..length];
    }

    private readonly record struct Outbound(ReadOnlyMemory<byte> Payload, WebSocketMessageType Type,
        Func<WebSocket, CancellationToken, ValueTask>? Write = null);

    private sealed record CloseRequest(WebSocketCloseStatus Status, string? Description);
}
