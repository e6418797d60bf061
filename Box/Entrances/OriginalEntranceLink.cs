using Dandelion.Shared.Connections;
using Dandelion.Shared.Protocol;

namespace Dandelion.Box.Entrances;

/// <summary>
/// The box's link to an original (version 1) entrance: every heartbeat a new connection, one
/// EXCHANGE in the original's form, its <c>ACCEPTED</c>, closed. <c>ACCEPTED</c> is the only
/// acknowledgement version 1 has: the entries it carried go after it.
/// </summary>
internal sealed partial class OriginalEntranceLink(LinkParts link)
{
    /// <summary>Heartbeats until one fails; then the caller tries version 2 again.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        do
            await Task.Delay(link.Options.Heartbeat, link.Time, cancellationToken);
        while (await HeartbeatAsync(cancellationToken));
    }

    private async Task<bool> HeartbeatAsync(CancellationToken cancellationToken)
    {
        link.ThrowIfDropped();
        var batch = link.Batcher.Fill(traffic => link.Client.Self.Serialize(link.Exchanges.Version1(traffic),
            ProtocolJsonContext.Default.ExchangeRequest, ProtocolVersion.V1), link.Exchanges.Version1Bytes);
        try
        {
            var reply = await link.Client.AskOnceAsync(link.Uri, batch.Message, ProtocolJsonContext.Default.ExchangeReply,
                link.Options.MaxTextMessageBytes, LinkParts.ConnectTimeout, cancellationToken);
            if (reply.Message != "ACCEPTED")
                throw new PeerUnavailableException("no ACCEPTED in the version 1 reply.");
            link.Replies.Accept(link.Url, reply);
            link.Batcher.Accepted(null);
            if (batch.LastId is { } last)
                link.Outbox.Acknowledge(last);
            return true;
        }
        catch (PeerUnavailableException ex) when (ex.Code == ProtocolErrorCodes.TooBig)
        {
            // An original entrance closes with 1009 on a message over its limit: it is there, the next one is smaller.
            link.Batcher.Refused();
            return true;
        }
        catch (PeerUnavailableException ex)
        {
            Log.Failed(link.Logger, link.Url, ex.Message);
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(11, LogLevel.Warning, "Version 1 EXCHANGE with {Url} failed: {Reason}")]
        public static partial void Failed(ILogger logger, string url, string reason);
    }
}
