using System.Net;
using Dandelion.Shared.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dandelion.Shared.Connections;

/// <summary>
/// The accepting side of a WebSocket route, one per app: accepts the socket, admits it by its
/// remote address, refusing one past the cap at once (<c>rate-limited</c>, 1008) before reading
/// anything, and runs the admitted ones with the role's handler until they end.
/// </summary>
public sealed class PeerListener(ConnectionLimits limits, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<PeerListener> logger)
{
    private readonly AddressAdmission _admission = new(limits.MaxConnectionsPerAddress);

    /// <param name="handlerFor">Makes the role's handler for the connection (also for one refused at once, so it counts the refusal).</param>
    /// <param name="open">Told 1 when the socket is accepted and -1 when it ends (the app's gauge of open connections).</param>
    /// <remarks>The request's end (the client went away) aborts the connection; the app stopping closes it with 1001.</remarks>
    public async Task<IResult> AcceptAsync(HttpContext context, IPAddress client, NodeStamp self, Func<IPeerHandler> handlerFor, Action<int> open)
    {
        if (!context.WebSockets.IsWebSocketRequest)
            return TypedResults.BadRequest("This is a WebSocket endpoint.");
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        open(1);
        try
        {
            var connection = new PeerConnection(socket, self, limits, client.ToString(), time, logger);
            var handler = handlerFor();
            connection.Attach(handler);
            using var lease = _admission.TryAdmit(client);
            if (lease is null)
                connection.Refuse(ProtocolError.RateLimited(), null);
            await connection.RunAsync(handler, context.RequestAborted, lifetime.ApplicationStopping).ConfigureAwait(false);
        }
        finally
        {
            open(-1);
        }
        return TypedResults.Empty;
    }
}
