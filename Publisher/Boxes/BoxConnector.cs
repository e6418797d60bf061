using Dandelion.Publisher.Configuration;
using Dandelion.Shared.Connections;
using Dandelion.Shared.Protocol;
using Microsoft.Extensions.Options;

namespace Dandelion.Publisher.Boxes;

/// <summary>Opens a PUBLISH channel to a box: connect, PUBLISH (version 2, with the grant), read the answer.</summary>
internal sealed class BoxConnector(IOptions<PublisherOptions> options, PublisherIdentity identity, TimeProvider time, ILoggerFactory loggers)
{
    private const int MaxReply = 64 * 1024;
    private readonly ILogger _logger = loggers.CreateLogger<BoxSession>();
    private readonly PeerClient _client = new(new NodeStamp(identity.Id, NodeTypes.Publisher, options.Value.Ip, null), time);

    /// <exception cref="PeerUnavailableException">The box could not be reached, or refused.</exception>
    public async Task<BoxSession> OpenAsync(RankedBox box, string? grant, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(box.ConnectWs, UriKind.Absolute, out var uri))
            throw new PeerUnavailableException($"{box.Id} has no usable CONNECT_WS ('{box.ConnectWs}').");
        var timeout = options.Value.SendTimeout;
        var socket = await _client.ConnectAsync(ToWebSocketScheme(uri), timeout, cancellationToken).ConfigureAwait(false);
        try
        {
            var request = _client.Self.Serialize(new PublishRequest { Command = Commands.Publish, Grant = grant },
                ProtocolJsonContext.Default.PublishRequest, ProtocolVersion.V2);
            var reply = await _client.AskAsync(socket, box.Id, request, ProtocolJsonContext.Default.PublishReply, MaxReply, timeout, cancellationToken)
                .ConfigureAwait(false);
            if (reply.Command != Commands.Publish)
                throw new PeerUnavailableException($"{box.Id} answered PUBLISH with COMMAND '{reply.Command}'.");
            return new BoxSession(socket, box, reply, _client.Self, time, timeout, _logger);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>CONNECT_WS is sometimes written with http(s):// (the original accepts those); WebSockets want ws(s)://.</summary>
    private static Uri ToWebSocketScheme(Uri uri) => uri.Scheme switch
    {
        "http" => new UriBuilder(uri) { Scheme = "ws" }.Uri,
        "https" => new UriBuilder(uri) { Scheme = "wss" }.Uri,
        _ => uri,
    };
}
