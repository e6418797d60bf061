using System.Net.WebSockets;
using Dandelion.Shared.Connections;
using Dandelion.Shared.Protocol;

namespace Dandelion.Box.Entrances;

/// <summary>
/// A version 2 session with one entrance over one connection: an EXCHANGE every heartbeat with
/// as much traffic as the entrance accepts, each answered with a <c>TRAFFIC_ACK</c>, and
/// commands pushed at any time. An entrance silent for three heartbeats and ten seconds is
/// given up on (the connection's idle timeout); <c>unavailable</c> keeps the session.
/// </summary>
internal sealed partial class EntranceSession(LinkParts link) : IPeerHandler
{
    public Task RunAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var silence = 3 * link.Options.Heartbeat + TimeSpan.FromSeconds(10);
        var connection = new PeerConnection(socket, link.Client.Self, ConnectionLimits.Client(link.Options.MaxTextMessageBytes, silence),
            link.Url, link.Time, link.Logger) { PeerVersion = ProtocolVersion.V2 };
        Log.Connected(link.Logger, link.Url);
        link.Metrics.EntranceSession(1);
        long sequence = 1;
        // Stopping the box closes the session politely: the entrance forgets the box at once.
        return connection.RunAsync(this, CancellationToken.None, cancellationToken, link.Options.Heartbeat, () => Heartbeat(connection, ++sequence));
    }

    public ValueTask OnClosedAsync(PeerConnection connection)
    {
        link.Metrics.EntranceSession(-1);
        // Our entrance says too-big and closes with 1009; a proxy between may only close.
        if (connection.PeerCloseStatus == WebSocketCloseStatus.MessageTooBig)
            link.Batcher.Refused();
        if (connection.GoingAway)
            Log.Closed(link.Logger, link.Url);
        else
            Log.Ended(link.Logger, link.Url, connection.EndReason ?? "");
        return default;
    }

    public ValueTask OnTextAsync(PeerConnection connection, ReadOnlyMemory<byte> utf8, CancellationToken cancellationToken)
    {
        if (ProtocolJson.TryParse(utf8.Span, ProtocolJsonContext.Default.ErrorReply, out var error, out _))
        {
            Log.Refused(link.Logger, link.Url, error.Code ?? "", error.Error);
            // Through an outage the entrance keeps the session, and so does the box: it tries again next heartbeat.
            if (error.Code != ProtocolErrorCodes.Unavailable)
                connection.Close(WebSocketCloseStatus.NormalClosure, null, $"the entrance refused: {error.Code}");
            return default;
        }
        if (!ProtocolJson.TryParse(utf8.Span, ProtocolJsonContext.Default.MessageHead, out var head, out var bad))
        {
            connection.Close(WebSocketCloseStatus.InvalidPayloadData, bad.CloseDescription, bad.Message);
            return default;
        }
        switch (head.Command)
        {
            case Commands.Exchange when ProtocolJson.TryParse(utf8.Span, ProtocolJsonContext.Default.ExchangeReply, out var reply, out bad):
                link.Replies.Accept(link.Url, reply);
                link.Batcher.Accepted(reply.MaxMessageBytes);
                break;
            case Commands.Exchange:
                connection.Close(WebSocketCloseStatus.InvalidPayloadData, bad!.CloseDescription, bad.Message);
                break;
            case Commands.Drain or Commands.Resume or Commands.Purge
                when ProtocolJson.TryParse(utf8.Span, ProtocolJsonContext.Default.BoxCommand, out var command, out _):
                link.Replies.Obey(link.Url, command);
                break;
            default:
                Log.UnknownCommand(link.Logger, link.Url, head.Command ?? "");
                break;
        }
        return default;
    }

    /// <summary>One EXCHANGE with as much traffic as fits; false, and the session aborted, when the entrance does not take them.</summary>
    private bool Heartbeat(PeerConnection connection, long sequence)
    {
        var batch = link.Batcher.Fill(traffic => connection.Serialize(link.Exchanges.Version2(sequence, traffic),
            ProtocolJsonContext.Default.ExchangeRequest), ExchangeBuilder.Version2Bytes);
        if (connection.TrySendText(batch.Message))
            return true;
        connection.Abort("the entrance does not take the heartbeats.");
        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Session with entrance {Url} open")]
        public static partial void Connected(ILogger logger, string url);

        [LoggerMessage(3, LogLevel.Warning, "Session with entrance {Url} ended: {Reason}")]
        public static partial void Ended(ILogger logger, string url, string reason);

        [LoggerMessage(5, LogLevel.Information, "Session with entrance {Url} closed: the box is stopping")]
        public static partial void Closed(ILogger logger, string url);

        [LoggerMessage(4, LogLevel.Warning, "Entrance {Url} answered with an error: {Code} {Error}")]
        public static partial void Refused(ILogger logger, string url, string code, string error);

        [LoggerMessage(10, LogLevel.Debug, "Entrance {Url} sent an unknown command {Command}")]
        public static partial void UnknownCommand(ILogger logger, string url, string command);
    }
}
