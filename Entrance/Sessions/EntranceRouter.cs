using System.Net;
using Dandelion.Entrance.Peers;
using Dandelion.Shared.Connections;
using Dandelion.Shared.Protocol;

namespace Dandelion.Entrance.Sessions;

/// <summary>
/// The entrance's side of one connection: each text message is parsed and checked
/// (docs/PROTOCOL.md, Validation and errors), authenticated, and handed by its TYPE to the box
/// protocol (<see cref="BoxHandler"/>) or the publisher's (<see cref="PublisherHandler"/>). The
/// first message decides the version spoken.
/// </summary>
/// <param name="viaProxy">The client address came from a trusted proxy's <c>X-Forwarded-For</c> (how a box is placed).</param>
internal sealed class EntranceRouter(IPAddress client, EntranceSelf self, SessionServices services, bool viaProxy = false) : IPeerHandler
{
    private BoxHandler? _box;
    // The id this connection showed a valid credential for, recorded in Redis once.
    private string? _proven;

    public async ValueTask OnTextAsync(PeerConnection connection, ReadOnlyMemory<byte> utf8, CancellationToken cancellationToken)
    {
        if (!InboundParser.TryParse(utf8, out var message, out var error, out var command))
        {
            connection.Refuse(error!, command);
            return;
        }
        using (message)
        {
            if (connection.PeerVersion == 0)
                connection.PeerVersion = message!.Version;
            var (refused, proven) = await services.Authenticator.CheckAsync(message!.Message, connection.PeerVersion, _proven);
            if (refused is not null)
            {
                // As for an EXCHANGE in an outage: a version 2 connection is kept, and checked again on its next message.
                if (refused.Code == ProtocolErrorCodes.Unavailable && connection.PeerVersion >= ProtocolVersion.V2)
                    await connection.SendErrorAsync(refused, message.Message.Command, cancellationToken);
                else
                    connection.Refuse(refused, message.Message.Command);
                return;
            }
            _proven = proven ?? _proven;
            if (message.Exchange is not null)
                await (_box ??= new BoxHandler(connection, client, self, services, viaProxy)).ExchangeAsync(message, cancellationToken);
            else
                await PublisherHandler.SearchAsync(connection, message, client, self, services, cancellationToken);
        }
    }

    public void OnRefused(PeerConnection connection, ProtocolError error)
    {
        services.Metrics.Refused(error.Code);
        // A refusal that closes (not an unavailable kept on the session) is why a box left.
        if (connection.IsClosing)
            _box?.Refused(error);
    }

    public async ValueTask OnClosedAsync(PeerConnection connection)
    {
        if (_box is { } box)
            await box.EndAsync(connection.GoingAway, connection.ClosedByPeer);
    }
}
