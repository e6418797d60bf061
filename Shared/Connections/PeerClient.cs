using System.Net.Http;
using System.Net.WebSockets;
using System.Text.Json.Serialization.Metadata;
using Dandelion.Shared.Protocol;
using Dandelion.Shared.WebSockets;

namespace Dandelion.Shared.Connections;

/// <summary>
/// The asking side of every request/reply: connect, send one stamped message, await its reply
/// or an error, all within one deadline. Every fault comes out as
/// <see cref="PeerUnavailableException"/>, the one fault <see cref="PeerRetry"/> retries.
/// </summary>
/// <param name="trust">Which peers' TLS certificates are trusted over <c>wss://</c>; default the system's roots.</param>
public sealed class PeerClient(NodeStamp self, TimeProvider time, PeerTrust? trust = null)
{
    private readonly PeerTrust _trust = trust ?? PeerTrust.System;

    public NodeStamp Self => self;

    /// <summary>
    /// Connects and asks the first question of a long-lived connection (a version 2 EXCHANGE,
    /// PUBLISH): connecting and then the reply each within <paramref name="timeout"/>. The caller
    /// owns the socket; on any fault it is disposed here.
    /// </summary>
    /// <param name="configure">Sets the socket's options before it connects (e.g. how the peer's TLS certificate is checked).</param>
    /// <exception cref="PeerUnavailableException">Not reached in time, a close instead of a reply, an error reply (its <c>CODE</c>), or something else.</exception>
    public async Task<(ClientWebSocket Socket, TReply Reply)> OpenAsync<TReply>(Uri uri, string peer, byte[] request, JsonTypeInfo<TReply> replyType,
        int maxReplyBytes, TimeSpan timeout, CancellationToken cancellationToken, Action<ClientWebSocketOptions>? configure = null)
        where TReply : NodeMessage
    {
        var socket = await GuardAsync(uri.ToString(), timeout, cancellationToken, token => ConnectAsync(uri, token, configure)).ConfigureAwait(false);
        try
        {
            return (socket, await GuardAsync(peer, timeout, cancellationToken, token => AskAsync(socket, peer, request, replyType, maxReplyBytes, token))
                .ConfigureAwait(false));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Connect, ask, close: one request on its own connection (SEARCH; a version 1 EXCHANGE), all within one deadline.</summary>
    public Task<TReply> AskOnceAsync<TReply>(Uri uri, byte[] request, JsonTypeInfo<TReply> replyType, int maxReplyBytes,
        TimeSpan timeout, CancellationToken cancellationToken) where TReply : NodeMessage =>
        GuardAsync(uri.ToString(), timeout, cancellationToken, async token =>
        {
            using var socket = await ConnectAsync(uri, token).ConfigureAwait(false);
            var reply = await AskAsync(socket, uri.ToString(), request, replyType, maxReplyBytes, token).ConfigureAwait(false);
            await CloseQuietlyAsync(socket, token).ConfigureAwait(false);
            return reply;
        });

    /// <summary>Closes politely after the answer; how the socket ends no longer matters.</summary>
    private static async Task CloseQuietlyAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
        {
        }
    }

    private async Task<ClientWebSocket> ConnectAsync(Uri uri, CancellationToken cancellationToken, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        // Pings keep NATs open and find a peer that vanished without a FIN.
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
        _trust.Apply(socket.Options);
        configure?.Invoke(socket.Options);
        try
        {
            await socket.ConnectAsync(uri, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<TReply> AskAsync<TReply>(WebSocket socket, string peer, byte[] request, JsonTypeInfo<TReply> replyType,
        int maxReplyBytes, CancellationToken cancellationToken) where TReply : NodeMessage
    {
        await socket.SendAsync(request, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        using var message = await WebSocketMessageReader.ReceiveAsync(socket, maxReplyBytes, cancellationToken).ConfigureAwait(false);
        if (message.Outcome == ReceiveOutcome.Closed)
        {
            throw new PeerUnavailableException($"{peer} closed without answering ({socket.CloseStatus} {socket.CloseStatusDescription}).",
                socket.CloseStatus == WebSocketCloseStatus.MessageTooBig ? ProtocolErrorCodes.TooBig : null);
        }
        if (message.Outcome == ReceiveOutcome.TooBig || message.Type != WebSocketMessageType.Text)
            throw new PeerUnavailableException($"{peer} answered with a {message.Type} message over {maxReplyBytes} bytes or not text.");
        if (ProtocolJson.TryParse(message.Span, ProtocolJsonContext.Default.ErrorReply, out var error, out _))
            throw new PeerUnavailableException($"{peer} refused: {error.Code} {error.Error}", error.Code);
        return ProtocolJson.TryParse(message.Span, replyType, out var reply, out var bad)
            ? reply
            : throw new PeerUnavailableException($"{peer} answered with something else: {bad.Message}");
    }

    private async Task<T> GuardAsync<T>(string peer, TimeSpan timeout, CancellationToken cancellationToken, Func<CancellationToken, Task<T>> work)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await work(both.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new PeerUnavailableException($"{peer} did not answer within {timeout.TotalSeconds:0.#} s.");
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or HttpRequestException)
        {
            // "Unable to connect to the remote server" hides a TLS failure two levels down: name it.
            for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
            {
                if (inner is System.Security.Authentication.AuthenticationException tls)
                    throw new PeerUnavailableException($"{peer}: TLS failed: {tls.Message}");
            }
            throw new PeerUnavailableException($"{peer} could not be reached: {ex.Message}");
        }
    }
}
