using System.Net;
using System.Net.WebSockets;
using Dandelion.Entrance.Boxes;
using Dandelion.Entrance.Peers;
using Dandelion.Entrance.Redis;
using Dandelion.Shared.Connections;
using Dandelion.Shared.Protocol;

namespace Dandelion.Entrance.Sessions;

/// <summary>
/// A box's EXCHANGEs on one connection. Version 1: answered, then closed. Version 2: the
/// connection is the box's session: registered after its first EXCHANGE (so operator commands
/// reach it, <see cref="TrySendCommand"/>), answered every heartbeat, and ended in Redis when it
/// closes, unless this entrance is the one going away, with the reason the gone list shows.
/// </summary>
/// <param name="viaProxy">The client address came from a trusted proxy's <c>X-Forwarded-For</c> (how the box is placed).</param>
internal sealed partial class BoxHandler(PeerConnection connection, IPAddress client, EntranceSelf self, SessionServices services, bool viaProxy = false)
    : IBoxSession
{
    private static long _serial;
    private string? _boxId;
    private string? _sessionField;
    private string? _boxName;
    // Set when this side refused the box and closed: why it left, unless it closed or was lost.
    private string? _refusal;

    /// <summary>Queues a command for this box; false when the box is too slow to take it.</summary>
    public bool TrySendCommand(string command, string? publisher) =>
        connection.TrySendText(connection.Serialize(new BoxCommand { Command = command, Publisher = publisher }, ProtocolJsonContext.Default.BoxCommand));

    public async ValueTask ExchangeAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        var boxId = message.Message.Id!;
        var v2 = connection.PeerVersion >= ProtocolVersion.V2;
        if (v2 && _boxId is not null && _boxId != boxId)
        {
            connection.Refuse(ProtocolError.Unauthorized("a session speaks for one box; ID changed."), Commands.Exchange);
            return;
        }
        var field = v2 ? _sessionField ?? $"{self.Id}/{Interlocked.Increment(ref _serial)}" : null;

        var (reply, error) = await services.Exchanges.HandleAsync(message, client, self, connection.PeerVersion, field, viaProxy, cancellationToken);
        if (error is not null)
        {
            // A version 2 session is kept through an outage: the box tries again next heartbeat.
            await EntranceRouter.RefuseAsync(connection, error, Commands.Exchange, cancellationToken);
            return;
        }

        if (v2 && _sessionField is null)
        {
            _boxId = boxId;
            _sessionField = field;
            _boxName = NodeName.Clean(message.Exchange!.Name);
            services.Directory.Add(boxId, this);
            services.Metrics.SessionOpened();
            Log.SessionOpened(services.Logger, boxId, client);
        }
        await connection.SendAsync(reply!, ProtocolJsonContext.Default.ExchangeReply, cancellationToken);
        if (!v2)
            connection.Close(WebSocketCloseStatus.NormalClosure, "EXCHANGE answered");
    }

    /// <summary>Its credential was revoked: the session is closed at once, and the box is gone as revoked.</summary>
    public void Revoke(ProtocolError error) => connection.Refuse(error, Commands.Exchange);

    /// <summary>This side refused the box and is closing its session: it was revoked (token refused) or refused.</summary>
    public void Refused(ProtocolError error) =>
        _refusal = error.Code switch
        {
            ProtocolErrorCodes.Unauthorized => GoneReasons.Revoked,
            // Silent past the connection's deadline: not answering, as a dropped connection.
            ProtocolErrorCodes.Timeout => GoneReasons.Lost,
            _ => GoneReasons.Refused,
        };

    /// <summary>
    /// The connection ended. When this entrance is the one going away the box reconnects
    /// elsewhere, so its record stays (and simply expires if it never returns).
    /// </summary>
    /// <param name="closedByPeer">The box sent a close frame first: it left in order (closed, or drained).</param>
    public async ValueTask EndAsync(bool entranceStopping, bool closedByPeer)
    {
        if (_boxId is not { } boxId || _sessionField is not { } field)
            return;
        services.Directory.Remove(boxId, this);
        services.Metrics.SessionClosed();
        if (entranceStopping)
            return;
        try
        {
            var why = _refusal ?? (closedByPeer ? GoneReasons.Closed : GoneReasons.Lost);
            var reason = await services.Registry.CloseSessionAsync(boxId, field, services.TimeProvider.GetUtcNow(), why);
            if (reason is not null)
                Log.Left(services.Logger, _boxName ?? boxId, boxId, reason);
            else
                Log.SessionClosed(services.Logger, boxId, why);
        }
        catch (Exception ex) when (RedisResilience.IsOutage(ex))
        {
            // The box still expires after its silence.
            Log.CloseNotRecorded(services.Logger, boxId, ex);
        }
    }

    private static partial class Log
    {
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
