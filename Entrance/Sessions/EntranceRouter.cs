using System.Net;
using Dandelion.Entrance.Peers;
using Dandelion.Shared.Connections;
using Dandelion.Shared.Protocol;

namespace Dandelion.Entrance.Sessions;

/// <summary>
/// The entrance's side of one connection: each text message is parsed and checked
/// (docs/PROTOCOL.md, Validation and errors), authenticated, and handed by its TYPE to the box
/// protocol (<see cref="BoxHandler"/>) or answered as a publisher's SEARCH (the connection kept
/// for another; an original publisher closes after one). The first message decides the version spoken.
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
                await RefuseAsync(connection, refused, message.Message.Command, cancellationToken);
                return;
            }
            _proven = proven ?? _proven;
            if (message.Exchange is not null)
            {
                await (_box ??= new BoxHandler(connection, client, self, services, viaProxy)).ExchangeAsync(message, cancellationToken);
                return;
            }
            var (reply, searchError) = await services.Searches.HandleAsync(message, client, self, connection.PeerVersion,
                connection.ReplyMaxMessageBytes, cancellationToken);
            if (searchError is not null)
                connection.Refuse(searchError, Commands.Search);
            else
                await connection.SendTextAsync(reply!, cancellationToken);
        }
    }

    /// <summary>
    /// Refuses and closes, except <c>unavailable</c> (Redis out) on a version 2 connection: that
    /// is answered and the connection kept, checked again on its next message, rather than every
    /// box reconnecting at once when Redis comes back.
    /// </summary>
    public static async ValueTask RefuseAsync(PeerConnection connection, ProtocolError error, string? command, CancellationToken cancellationToken)
    {
        if (error.Code == ProtocolErrorCodes.Unavailable && connection.PeerVersion >= ProtocolVersion.V2)
            await connection.SendErrorAsync(error, command, cancellationToken);
        else
            connection.Refuse(error, command);
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
