using System.Net.WebSockets;
using Dandelion.Publisher.Configuration;
using Dandelion.Shared.Protocol;
using Dandelion.Shared.WebSockets;
using Microsoft.Extensions.Options;

namespace Dandelion.Publisher.Boxes;

/// <summary>Opens a PUBLISH channel to a box: connect, PUBLISH (version 2, with the grant), read the answer.</summary>
internal sealed class BoxConnector(IOptions<PublisherOptions> options, PublisherIdentity identity, TimeProvider time, ILoggerFactory loggers)
{
    private const int MaxReply = 64 * 1024;
    private readonly ILogger _logger = loggers.CreateLogger<BoxSession>();

    public async Task<BoxSession> OpenAsync(RankedBox box, string? grant, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(box.ConnectWs, UriKind.Absolute, out var uri))
            throw new BoxUnavailableException($"{box.Id} has no usable CONNECT_WS ('{box.ConnectWs}').");
        uri = ToWebSocketScheme(uri);

        var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(options.Value.SendTimeout, time);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await socket.ConnectAsync(uri, both.Token).ConfigureAwait(false);
            var request = new PublishRequest
            {
                Id = identity.Id,
                Ip = options.Value.Ip,
                Type = NodeTypes.Publisher,
                Command = Commands.Publish,
                Version = ProtocolVersion.V2,
                Grant = grant,
            };
            await socket.SendAsync(ProtocolJson.Serialize(request, ProtocolJsonContext.Default.PublishRequest),
                WebSocketMessageType.Text, endOfMessage: true, both.Token).ConfigureAwait(false);

            using var message = await WebSocketMessageReader.ReceiveAsync(socket, MaxReply, both.Token).ConfigureAwait(false);
            if (message.Outcome != ReceiveOutcome.Message || message.Type != WebSocketMessageType.Text)
                throw new BoxUnavailableException($"{box.Id} closed the connection instead of answering PUBLISH ({socket.CloseStatus} {socket.CloseStatusDescription}).");
            if (ProtocolJson.TryParse(message.Span, ProtocolJsonContext.Default.ErrorReply, out var error, out _))
                throw new BoxUnavailableException($"{box.Id} refused PUBLISH: {error.Code} {error.Error}");
            if (!ProtocolJson.TryParse(message.Span, ProtocolJsonContext.Default.PublishReply, out var reply, out var bad))
                throw new BoxUnavailableException($"{box.Id} answered PUBLISH with something else: {bad.Message}");
            if (reply.Command != Commands.Publish)
                throw new BoxUnavailableException($"{box.Id} answered PUBLISH with COMMAND '{reply.Command}'.");

            var session = new BoxSession(socket, box, reply, identity.Id, time, options.Value.SendTimeout, _logger);
            socket = null!;
            return session;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new BoxUnavailableException($"{box.Id} did not accept PUBLISH within {options.Value.SendTimeout.TotalSeconds:0.#} s.");
        }
        catch (Exception ex) when (ex is WebSocketException or IOException)
        {
            throw new BoxUnavailableException($"{box.Id} could not be reached: {ex.Message}");
        }
        finally
        {
            socket?.Dispose();
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
