using System.Net;
using System.Net.WebSockets;
using Dandelion.Shared.Protocol;
using Microsoft.Extensions.Logging;

namespace Dandelion.Shared.Connections;

/// <summary>
/// The accepting side of a WebSocket route, one per app: admits each connection by its
/// remote address, refusing one past the cap at once (<c>rate-limited</c>, 1008) before
/// reading anything, and runs the admitted ones with the role's handler.
/// </summary>
public sealed class PeerListener(ConnectionLimits limits, TimeProvider time, ILogger<PeerListener> logger)
{
    private readonly AddressAdmission _admission = new(limits.MaxConnectionsPerAddress);

    public ConnectionLimits Limits => limits;

    /// <summary>Runs one accepted socket until it ends.</summary>
    /// <param name="handlerFor">Makes the role's handler for the connection (also for one refused at once, so it counts the refusal).</param>
    /// <param name="aborted">The request's own end (the client went away).</param>
    /// <param name="stopping">The app shutting down: each connection is closed with 1001.</param>
    public async Task RunAsync(WebSocket socket, IPAddress client, NodeStamp self, Func<PeerConnection, IPeerHandler> handlerFor,
        CancellationToken aborted, CancellationToken stopping)
    {
        var connection = new PeerConnection(socket, self, limits, client.ToString(), time, logger);
        var handler = handlerFor(connection);
        connection.Attach(handler);
        using var lease = _admission.TryAdmit(client);
        if (lease is null)
            connection.Refuse(ProtocolError.RateLimited(), null);
        await connection.RunAsync(handler, aborted, stopping).ConfigureAwait(false);
    }
}
