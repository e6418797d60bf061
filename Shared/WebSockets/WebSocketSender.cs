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
    private readonly WebSocket _socket;
    private readonly Channel<Outbound> _queue;

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
        _queue.Writer.TryWrite(new Outbound(utf8, WebSocketMessageType.Text, null, null));

    public bool TrySendBinary(ReadOnlyMemory<byte> bytes) =>
        _queue.Writer.TryWrite(new Outbound(bytes, WebSocketMessageType.Binary, null, null));

    /// <summary>Waits for room in the queue, for senders that should slow down rather than fail.</summary>
    public ValueTask SendTextAsync(ReadOnlyMemory<byte> utf8, CancellationToken cancellationToken) =>
        _queue.Writer.WriteAsync(new Outbound(utf8, WebSocketMessageType.Text, null, null), cancellationToken);

    /// <summary>Sends what is queued, then a close frame with this status, then stops.</summary>
    public void Close(WebSocketCloseStatus status, string? description)
    {
        _queue.Writer.TryWrite(new Outbound(default, WebSocketMessageType.Close, status, description));
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
                if (message.Type == WebSocketMessageType.Close)
                {
                    if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                        await _socket.CloseOutputAsync(message.Status!.Value, message.Description, cancellationToken).ConfigureAwait(false);
                    return;
                }
                if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
                    return;
                await _socket.SendAsync(message.Payload, message.Type, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            }
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

    private readonly record struct Outbound(ReadOnlyMemory<byte> Payload, WebSocketMessageType Type,
        WebSocketCloseStatus? Status, string? Description);
}
