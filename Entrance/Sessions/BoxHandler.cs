using System.Net;
using System.Net.WebSockets;
using Dandelion.Entrance.Redis;
using Dandelion.Shared.Connections;
using Dandelion.Shared.Protocol;

namespace Dandelion.Entrance.Sessions;

/// <summary>
/// A box's EXCHANGEs on one connection. Version 1: answered, then closed. Version 2: the
/// connection is the box's session: registered after its first EXCHANGE (so operator commands
/// reach it, <see cref="TrySendCommand"/>), answered every heartbeat, and ended in Redis when it
/// closes, unless this entrance is the one going away.
/// </summary>
internal sealed partial class BoxHandler(PeerConnection connection, IPAddress client, EntranceSelf self, SessionServices services)
{
    private static long _serial;
    private string? _boxId;
    private string? _sessionField;

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

        var (reply, error) = await services.Exchanges.HandleAsync(message, client, self, connection.PeerVersion, field, cancellationToken);
        if (error is not null)
        {
            // A version 2 session is kept through an outage: the box tries again next heartbeat,
            // rather than every box reconnecting at once when Redis comes back.
            if (v2 && error.Code == ProtocolErrorCodes.Unavailable)
                await connection.SendErrorAsync(error, Commands.Exchange, cancellationToken);
            else
                connection.Refuse(error, Commands.Exchange);
            return;
        }

        if (v2 && _sessionField is null)
        {
            _boxId = boxId;
            _sessionField = field;
            services.Directory.Add(boxId, this);
            services.Metrics.SessionOpened();
            Log.SessionOpened(services.Logger, boxId, client);
        }
        await connection.SendAsync(reply!, ProtocolJsonContext.Default.ExchangeReply, cancellationToken);
        if (!v2)
            connection.Close(WebSocketCloseStatus.NormalClosure, "EXCHANGE answered");
    }

    /// <summary>
    /// The connection ended. When this entrance is the one going away the box reconnects
    /// elsewhere, so its record stays (and simply expires if it never returns).
    /// </summary>
    public async ValueTask EndAsync(bool entranceStopping)
    {
        if (_boxId is not { } boxId || _sessionField is not { } field)
            return;
        services.Directory.Remove(boxId, this);
        services.Metrics.SessionClosed();
        if (entranceStopping)
            return;
        try
        {
            var gone = await services.Registry.CloseSessionAsync(boxId, field, services.TimeProvider.GetUtcNow());
            Log.SessionClosed(services.Logger, boxId, gone);
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

        [LoggerMessage(3, LogLevel.Debug, "Box {BoxId} closed its session (box gone: {Gone}).")]
        public static partial void SessionClosed(ILogger logger, string boxId, bool gone);

        [LoggerMessage(4, LogLevel.Warning, "Box {BoxId} closed its session while Redis was unavailable; it will expire instead.")]
        public static partial void CloseNotRecorded(ILogger logger, string boxId, Exception exception);
    }
}
