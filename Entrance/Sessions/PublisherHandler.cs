using System.Net;
using Dandelion.Entrance.Peers;
using Dandelion.Shared.Connections;
using Dandelion.Shared.Protocol;

namespace Dandelion.Entrance.Sessions;

/// <summary>A publisher's SEARCH: answered, and the connection kept for another (an original publisher closes after one).</summary>
internal static class PublisherHandler
{
    public static async ValueTask SearchAsync(PeerConnection connection, InboundMessage message, IPAddress client, EntranceSelf self,
        SessionServices services, CancellationToken cancellationToken)
    {
        var (reply, error) = await services.Searches.HandleAsync(message, client, self, connection.PeerVersion,
            connection.ReplyMaxMessageBytes, cancellationToken);
        if (error is not null)
            connection.Refuse(error, Commands.Search);
        else
            await connection.SendTextAsync(reply!, cancellationToken);
    }
}
