using System.Net.WebSockets;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using Dandelion.Shared.Protocol;
using Dandelion.Shared.WebSockets;
using Microsoft.Extensions.Logging;

namespace Dandelion.Shared.Connections;

/// <summary>
/// One WebSocket to one peer: the transport half of every connection (the protocol half is an
/// <see cref="IPeerHandler"/>). It owns the one receive loop (<see cref="PeerReceiver"/>) and the
/// one send loop (<see cref="WebSocketSender"/>); enforces the first-message and idle timeouts; refuses with
/// the error reply and close status of docs/PROTOCOL.md; and closes with a handshake: after
/// its close frame it reads and drops until the peer's close arrives or
/// <see cref="ConnectionLimits.CloseTimeout"/> passes, then aborts.
/// </summary>
public sealed partial class PeerConnection
{
    private readonly WebSocket _socket;
    private readonly WebSocketSender _sender;
    private readonly NodeStamp _self;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConnectionDeadline _deadline;
    private readonly PeerReceiver _receiver;
    // Cancels the loops: at once (abort), or CloseTimeout after this side's close frame.
    private readonly CancellationTokenSource _abort;
    private IPeerHandler? _handler;
    private int _closing;
    private string? _endReason;

    /// <param name="peer">The peer's address or URL, for logs.</param>
    public PeerConnection(WebSocket socket, NodeStamp self, ConnectionLimits limits, string peer, TimeProvider time, ILogger logger)
    {
        _socket = socket;
        _self = self;
        Limits = limits;
        Peer = peer;
        _logger = logger;
        _time = time;
        _sender = new WebSocketSender(socket);
        _abort = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _deadline = new ConnectionDeadline(limits, time, TimedOut);
        _receiver = new PeerReceiver(socket, _deadline);
    }

    public ConnectionLimits Limits { get; }
    public string Peer { get; }
    public WebSocketCloseStatus? PeerCloseStatus => _socket.CloseStatus;

    /// <summary>The version spoken on this connection, once known; before that (0) error replies use version 1 words.</summary>
    public int PeerVersion { get; set; }

    public bool IsOpen => !IsClosing && _socket.State == WebSocketState.Open;
    public bool IsClosing => Volatile.Read(ref _closing) != 0;

    /// <summary>This side is shutting down (the <c>stopping</c> token of <see cref="RunAsync"/> fired).</summary>
    public bool GoingAway { get; private set; }

    /// <summary>Why the connection ended or is ending, in words for logs; null while it is open.</summary>
    public string? EndReason => Volatile.Read(ref _endReason);

    /// <summary>The peer ended the connection with a close frame, before this side closed or refused it.</summary>
    public bool ClosedByPeer { get; private set; }

    /// <summary>Runs the connection with <paramref name="handler"/> until it ends; never throws for a network fault.</summary>
    /// <param name="cancellationToken">The connection's own life: cancelling it aborts the socket.</param>
    /// <param name="stopping">This node shutting down: a close frame (1001) at once, then the close handshake.</param>
    /// <param name="tick">Called every <paramref name="every"/> while the connection is open, until it returns false (a heartbeat, a deadline watch).</param>
    public async Task RunAsync(IPeerHandler handler, CancellationToken cancellationToken, CancellationToken stopping = default,
        TimeSpan every = default, Func<bool>? tick = null)
    {
        _handler = handler;
        using var live = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _abort.Token);
        using var ticking = CancellationTokenSource.CreateLinkedTokenSource(live.Token);
        var sending = SendLoopAsync(live.Token);
        var ticks = tick is null ? Task.CompletedTask : TickAsync(every, tick, ticking.Token);
        _deadline.Start();
        using var onStopping = stopping.Register(static state => ((PeerConnection)state!).Leave(), this);
        try
        {
            await _receiver.RunAsync(this, handler, live.Token).ConfigureAwait(false);
            PeerClosed();
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ChannelClosedException or OperationCanceledException)
        {
            // After this side's close the reason is already set: the peer just never answered it.
            End($"the connection failed: {ex.Message}");
        }
        finally
        {
            await _deadline.DisposeAsync().ConfigureAwait(false);
            await ticking.CancelAsync().ConfigureAwait(false);
            Interlocked.Exchange(ref _closing, 1);
            _sender.Complete();
            // A send stuck on a peer that reads nothing is not waited for longer than a close would be.
            _abort.CancelAfter(Limits.CloseTimeout);
            await sending.ConfigureAwait(false);
            if (_socket.State is not (WebSocketState.Closed or WebSocketState.Aborted))
                _socket.Abort();
            await handler.OnClosedAsync(this).ConfigureAwait(false);
            await ticks.ConfigureAwait(false);
        }
    }

    /// <summary>Gives the handler before <see cref="RunAsync"/>, for a refusal made before the loops start.</summary>
    internal void Attach(IPeerHandler handler) => _handler = handler;

    /// <summary>Stamps, serializes and queues a message, waiting for room in the queue.</summary>
    public ValueTask SendAsync<T>(T message, JsonTypeInfo<T> type, CancellationToken cancellationToken) where T : NodeMessage =>
        _sender.SendTextAsync(Serialize(message, type), cancellationToken);

    /// <summary>Queues a text message made by <see cref="Serialize"/>; false when the send queue is full or closed.</summary>
    public bool TrySendText(byte[] utf8) => _sender.TrySendText(utf8);

    /// <summary>Queues a text message the handler wrote itself, stamped as <see cref="Serialize"/> would, waiting for room.</summary>
    public ValueTask SendTextAsync(byte[] utf8, CancellationToken cancellationToken) => _sender.SendTextAsync(utf8, cancellationToken);

    /// <summary><c>MAX_MESSAGE_BYTES</c> as this side's version 2 replies to EXCHANGE, SEARCH or PUBLISH carry it; null when they carry none.</summary>
    public int? ReplyMaxMessageBytes => Limits.Listener && PeerVersion >= ProtocolVersion.V2 ? Limits.MaxMessageBytes : null;

    /// <summary>Queues a message the send loop writes itself (a file streamed from disk).</summary>
    public bool TrySendStreamed(Func<WebSocket, CancellationToken, ValueTask> write) => _sender.TrySendStreamed(write);

    /// <summary>
    /// The message as this node sends it here: stamped with its identity and the version of
    /// this connection, and in a listener's version 2 reply to EXCHANGE, SEARCH or PUBLISH
    /// with <c>MAX_MESSAGE_BYTES</c>, so the peer never builds a message this side must refuse.
    /// </summary>
    public byte[] Serialize<T>(T message, JsonTypeInfo<T> type) where T : NodeMessage
    {
        if (ReplyMaxMessageBytes is { } limit && message is not ErrorReply
            && message.Command is Commands.Exchange or Commands.Search or Commands.Publish)
        {
            message = message with { MaxMessageBytes = limit };
        }
        return _self.Serialize(message, type, PeerVersion);
    }

    /// <summary>Answers with an error reply and keeps the connection (e.g. <c>unavailable</c> on a version 2 box session).</summary>
    public ValueTask SendErrorAsync(ProtocolError error, string? command, CancellationToken cancellationToken)
    {
        _handler?.OnRefused(this, error);
        return _sender.SendTextAsync(ErrorBytes(error, command), cancellationToken);
    }

    /// <summary>
    /// Refuses the peer: a listener answers with the error reply; then the close frame with the
    /// error's status, and the close handshake. Nothing more reaches the handler.
    /// </summary>
    public void Refuse(ProtocolError error, string? command)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
            return;
        if (Limits.Listener)
            _sender.TrySendText(ErrorBytes(error, command));
        Log.Refused(_logger, Peer, error.Code, error.Message);
        _handler?.OnRefused(this, error);
        Finish(error.CloseStatus, error.CloseDescription, error.Message);
    }

    /// <summary>Sends what is queued, then a close frame; the peer has <see cref="ConnectionLimits.CloseTimeout"/> to answer it.</summary>
    public void Close(WebSocketCloseStatus status, string? description, string? reason = null)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 0)
            Finish(status, description, reason ?? description ?? status.ToString());
    }

    /// <summary>Ends the connection at once, without a close handshake.</summary>
    public void Abort(string reason)
    {
        End(reason);
        Interlocked.Exchange(ref _closing, 1);
        _abort.Cancel();
    }

    private void Finish(WebSocketCloseStatus status, string? description, string reason)
    {
        End(reason);
        _sender.Close(status, description);
        _abort.CancelAfter(Limits.CloseTimeout);
    }

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        await _sender.RunAsync(cancellationToken).ConfigureAwait(false);
        // The send loop ends after this side's close frame, or when the socket failed under it.
        if (!IsClosing)
            Abort("sending failed.");
    }

    private async Task TickAsync(TimeSpan interval, Func<bool> tick, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false) && IsOpen && tick())
            {
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void PeerClosed()
    {
        ClosedByPeer = End($"the peer closed the connection ({_socket.CloseStatus} {_socket.CloseStatusDescription}).");
        // Answered with our own close frame, unless ours went first.
        Close(WebSocketCloseStatus.NormalClosure, null);
    }

    private void Leave()
    {
        GoingAway = true;
        Close(WebSocketCloseStatus.EndpointUnavailable, $"{_self.Type.ToLowerInvariant()}-stopping", "this node is stopping.");
    }

    private void TimedOut(string detail)
    {
        if (Limits.Listener)
            Refuse(ProtocolError.Timeout(detail), null);
        else
            Close(WebSocketCloseStatus.PolicyViolation, ProtocolErrorCodes.Timeout, detail);
    }

    /// <returns>True when this is the first reason: the one the connection ended for.</returns>
    private bool End(string reason) => Interlocked.CompareExchange(ref _endReason, reason, null) is null;

    private byte[] ErrorBytes(ProtocolError error, string? command) =>
        _self.SerializeError(error, command, PeerVersion, withCode: PeerVersion >= ProtocolVersion.V2 || Limits.CodeToVersion1);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Refused {Peer}: {Code} ({Reason})")]
        public static partial void Refused(ILogger logger, string peer, string code, string reason);
    }
}
