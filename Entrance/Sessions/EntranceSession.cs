using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using System.Threading.Channels;
using Dandelion.Entrance.Boxes;
using Dandelion.Shared.Protocol;
using Dandelion.Shared.WebSockets;

namespace Dandelion.Entrance.Sessions;

/// <summary>
/// One WebSocket: one receive loop (this type) and one send loop (<see cref="WebSocketSender"/>).
/// The first message decides the version. A version 1 box is answered and the socket closed;
/// a version 2 box keeps the socket as its session and may be sent commands at any time.
/// </summary>
/// <param name="viaProxy">The client address came from a trusted proxy's <c>X-Forwarded-For</c> (how the box is placed).</param>
internal sealed partial class EntranceSession(WebSocket socket, IPAddress client, EntranceSelf self, SessionServices services, bool viaProxy = false)
{
    private static long _serial;

    private readonly WebSocketSender _sender = new(socket);
    private int _version;
    private string? _boxId;
    private string? _sessionField;
    private string? _boxName;
    // Why the box's session ends, for the gone list: lost unless a close frame or a refusal says otherwise.
    private string _endReason = GoneReasons.Lost;

    /// <param name="cancellationToken">The connection's own lifetime (request aborted).</param>
    /// <param name="stopping">The entrance shutting down: the session ends at once with 1001.</param>
    public async Task RunAsync(CancellationToken cancellationToken, CancellationToken stopping = default)
    {
        var sending = _sender.RunAsync(cancellationToken);
        var closing = false;
        var goingAway = false;
        // Cancelling a pending receive aborts a WebSocket, so shutdown sends the close frame
        // and keeps reading for the peer's answer; only a peer that never answers is cut off.
        using var unanswered = new CancellationTokenSource();
        using var receiving = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, unanswered.Token);
        using var onStopping = stopping.Register(() =>
        {
            goingAway = true;
            _sender.Close(WebSocketCloseStatus.EndpointUnavailable, "entrance-stopping");
            unanswered.CancelAfter(services.CloseTimeout);
        });
        try
        {
            closing = !await ReceiveLoopAsync(receiving.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ChannelClosedException)
        {
            // The peer went away without a close frame (or the send loop saw it go first): the same as a close.
        }
        finally
        {
            if (goingAway)
            {
                // The entrance is going, not the box: it reconnects to another entrance (or to
                // this one restarted), so its record stays and simply expires if it never returns.
                LeaveBoxSession();
            }
            else
            {
                await EndBoxSessionAsync();
            }
            _sender.Complete();
            await sending;
            if (closing)
                await DrainUntilClosedAsync(socket, services, cancellationToken);
        }
    }

    /// <summary>Queues a command for this box; false when the box is too slow to take it.</summary>
    public bool TrySendCommand(string command, string? publisher) =>
        _sender.TrySendText(ProtocolJson.Serialize(new BoxCommand
        {
            Id = self.Id,
            Type = NodeTypes.Entrance,
            Ip = self.Ip,
            Port = self.Port,
            Version = ProtocolVersion.V2,
            Command = command,
            Publisher = publisher,
        }, ProtocolJsonContext.Default.BoxCommand));

    /// <summary>Sends an error reply and a close frame; the caller stops reading.</summary>
    public static void Refuse(WebSocketSender sender, EntranceSelf self, ProtocolError error, string? command)
    {
        sender.TrySendText(ProtocolJson.Serialize(new ErrorReply
        {
            Id = self.Id,
            Type = NodeTypes.Entrance,
            Ip = self.Ip,
            Port = self.Port,
            Command = command,
            Error = error.Message,
            Code = error.Code,
        }, ProtocolJsonContext.Default.ErrorReply));
        sender.Close(error.CloseStatus, error.CloseDescription);
    }

    /// <summary>Refuses a connection before any message is read (rate limit).</summary>
    public static async Task RefuseAtOnceAsync(WebSocket socket, EntranceSelf self, ProtocolError error, SessionServices services,
        CancellationToken cancellationToken)
    {
        var sender = new WebSocketSender(socket, capacity: 2);
        Refuse(sender, self, error, null);
        await sender.RunAsync(cancellationToken);
        await DrainUntilClosedAsync(socket, services, cancellationToken);
    }

    /// <returns>False when this side closed the socket (after an error or a version 1 reply).</returns>
    private async Task<bool> ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            using var received = await WebSocketMessageReader.ReceiveAsync(socket, services.MaxMessageBytes, cancellationToken);
            switch (received.Outcome)
            {
                case ReceiveOutcome.Closed:
                    _endReason = GoneReasons.Closed;
                    _sender.Close(WebSocketCloseStatus.NormalClosure, null);
                    return true;
                case ReceiveOutcome.TooBig:
                    RefuseAndLog(ProtocolError.TooBig(services.MaxMessageBytes), null);
                    return false;
            }
            if (received.Type != WebSocketMessageType.Text)
            {
                RefuseAndLog(ProtocolError.BinaryNotAccepted(), null);
                return false;
            }
            if (!await HandleAsync(received.Memory, cancellationToken))
                return false;
        }
    }

    /// <returns>True to keep reading.</returns>
    private async ValueTask<bool> HandleAsync(ReadOnlyMemory<byte> utf8, CancellationToken cancellationToken)
    {
        if (!InboundParser.TryParse(utf8, out var message, out var error, out var command))
        {
            RefuseAndLog(error!, command);
            return false;
        }
        using (message)
        {
            if (_version == 0)
                _version = message!.Version;
            if (services.Authenticator.Check(message!.Message, _version) is { } refused)
            {
                RefuseAndLog(refused, message.Message.Command);
                return false;
            }
            return message.Exchange is not null
                ? await ExchangeAsync(message, cancellationToken)
                : await SearchAsync(message, cancellationToken);
        }
    }

    private async ValueTask<bool> ExchangeAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        var boxId = message.Message.Id!;
        var v2 = _version >= ProtocolVersion.V2;
        if (v2 && _boxId is not null && _boxId != boxId)
        {
            RefuseAndLog(ProtocolError.Unauthorized("a session speaks for one box; ID changed."), Commands.Exchange);
            return false;
        }
        var field = v2 ? _sessionField ?? $"{self.Id}/{Interlocked.Increment(ref _serial)}" : null;

        var (reply, error) = await services.Exchanges.HandleAsync(message, client, self, _version, field, viaProxy, cancellationToken);
        if (error is not null)
        {
            if (v2 && error.Code == ProtocolErrorCodes.Unavailable)
            {
                // Keep the session: the box tries again next heartbeat, rather than every box
                // reconnecting at once when Redis comes back.
                services.Metrics.Refused(error.Code);
                await SendErrorAsync(error, Commands.Exchange, cancellationToken);
                return true;
            }
            RefuseAndLog(error, Commands.Exchange);
            return false;
        }

        if (v2 && _sessionField is null)
        {
            _boxId = boxId;
            _sessionField = field;
            _boxName = Shared.Protocol.NodeName.Clean(message.Exchange!.Name);
            services.Directory.Add(boxId, this);
            services.Metrics.SessionOpened();
            Log.SessionOpened(services.Logger, boxId, client);
        }
        await _sender.SendTextAsync(ProtocolJson.Serialize(reply!, ProtocolJsonContext.Default.ExchangeReply), cancellationToken);
        if (v2)
            return true;
        _sender.Close(WebSocketCloseStatus.NormalClosure, "EXCHANGE answered");
        return false;
    }

    private async ValueTask<bool> SearchAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        var (reply, error) = await services.Searches.HandleAsync(message, client, self, _version, cancellationToken);
        if (error is not null)
        {
            RefuseAndLog(error, Commands.Search);
            return false;
        }
        // Both versions may search again on this socket; an original publisher closes after one.
        await _sender.SendTextAsync(reply!, cancellationToken);
        return true;
    }

    private async ValueTask SendErrorAsync(ProtocolError error, string? command, CancellationToken cancellationToken) =>
        await _sender.SendTextAsync(ProtocolJson.Serialize(new ErrorReply
        {
            Id = self.Id,
            Type = NodeTypes.Entrance,
            Ip = self.Ip,
            Port = self.Port,
            Command = command,
            Error = error.Message,
            Code = error.Code,
        }, ProtocolJsonContext.Default.ErrorReply), cancellationToken);

    private void RefuseAndLog(ProtocolError error, string? command)
    {
        _endReason = error.Code == ProtocolErrorCodes.Unauthorized ? GoneReasons.Revoked : GoneReasons.Refused;
        services.Metrics.Refused(error.Code);
        Log.Refused(services.Logger, client, error.Code, error.Message);
        Refuse(_sender, self, error, command);
    }

    private void LeaveBoxSession()
    {
        if (_boxId is not { } boxId || _sessionField is null)
            return;
        services.Directory.Remove(boxId, this);
        services.Metrics.SessionClosed();
    }

    private async Task EndBoxSessionAsync()
    {
        if (_boxId is not { } boxId || _sessionField is not { } field)
            return;
        LeaveBoxSession();
        try
        {
            var reason = await services.Registry.CloseSessionAsync(boxId, field, services.TimeProvider.GetUtcNow(), _endReason);
            if (reason is not null)
                Log.Left(services.Logger, _boxName ?? boxId, boxId, reason);
            else
                Log.SessionClosed(services.Logger, boxId, _endReason);
        }
        catch (Exception ex) when (Redis.RedisResilience.IsOutage(ex))
        {
            // The box still expires after its silence.
            Log.CloseNotRecorded(services.Logger, boxId, ex);
        }
    }

    /// <summary>
    /// After this side's close frame, read (and drop) until the peer's close arrives, so the
    /// peer reads our error and close status instead of a reset caused by unread data.
    /// </summary>
    private static async Task DrainUntilClosedAsync(WebSocket socket, SessionServices services, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(services.CloseTimeout, services.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), linked.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                    return;
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Refused a message from {Client}: {Code} ({Reason})")]
        public static partial void Refused(ILogger logger, IPAddress client, string code, string reason);

        [LoggerMessage(2, LogLevel.Debug, "Box {BoxId} opened a session from {Client}.")]
        public static partial void SessionOpened(ILogger logger, string boxId, IPAddress client);

        [LoggerMessage(3, LogLevel.Debug, "Box {BoxId} ended one session ({Reason}); another session keeps it live.")]
        public static partial void SessionClosed(ILogger logger, string boxId, string reason);

        [LoggerMessage(5, LogLevel.Information, "Box {Name} ({BoxId}) left: {Reason}.")]
        public static partial void Left(ILogger logger, string name, string boxId, string reason);

        [LoggerMessage(4, LogLevel.Warning, "Box {BoxId} closed its session while Redis was unavailable; it will expire instead.")]
        public static partial void CloseNotRecorded(ILogger logger, string boxId, Exception exception);
    }
}
