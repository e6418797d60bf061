using System.Net.WebSockets;
using Dandelion.Publisher.Configuration;
using Dandelion.Shared.Connections;
using Dandelion.Shared.Protocol;
using Microsoft.Extensions.Options;

namespace Dandelion.Publisher.Boxes;

/// <summary>Opens a PUBLISH channel to a box: connect, PUBLISH (version 2, with the grant and the viewer URL key), read the answer.</summary>
internal sealed class BoxConnector(IOptions<PublisherOptions> options, PublisherIdentity identity, ViewerUrlKey urlKey, BoxCertificates certificates,
    TimeProvider time, ILoggerFactory loggers)
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
        // A box without a file URL is a version 1 (original) one: the only kind a self-signed certificate may pass for.
        var version1Box = string.IsNullOrEmpty(box.HttpUrl);
        var trust = CertificateTrust.System;
        string? refusal = null;
        var request = _client.Self.Serialize(new PublishRequest
        {
            Command = Commands.Publish,
            Grant = grant,
            // The box takes it only when the grant binds its fingerprint (the entrance vouches for it).
            UrlKey = grant is null ? null : urlKey.Encoded,
        }, ProtocolJsonContext.Default.PublishRequest, ProtocolVersion.V2);
        ClientWebSocket socket;
        PublishReply reply;
        try
        {
            (socket, reply) = await _client.OpenAsync(ToWebSocketScheme(uri), box.Id, request, ProtocolJsonContext.Default.PublishReply, MaxReply,
                timeout, cancellationToken, o => o.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    trust = certificates.Decide(certificate, errors, version1Box, out refusal);
                    return trust != CertificateTrust.Refused;
                }).ConfigureAwait(false);
        }
        catch (PeerUnavailableException) when (refusal is not null)
        {
            throw new PeerUnavailableException($"{box.Id}: TLS failed: {refusal}");
        }
        var selfSignedV2 = trust == CertificateTrust.SelfSignedVersion1 && reply.SpokenVersion >= ProtocolVersion.V2;
        if (reply.Command == Commands.Publish && !selfSignedV2)
            return new BoxSession(socket, box, reply, _client.Self, time, timeout, _logger);
        socket.Dispose();
        throw new PeerUnavailableException(selfSignedV2
            ? $"{box.Id}: TLS failed: it speaks version 2 with a self-signed certificate; Publisher:BoxTls:AcceptSelfSignedVersion1 covers version 1 boxes only."
            : $"{box.Id} answered PUBLISH with COMMAND '{reply.Command}'.");
    }

    /// <summary>CONNECT_WS is sometimes written with http(s):// (the original accepts those); WebSockets want ws(s)://.</summary>
    private static Uri ToWebSocketScheme(Uri uri) => uri.Scheme switch
    {
        "http" => new UriBuilder(uri) { Scheme = "ws" }.Uri,
        "https" => new UriBuilder(uri) { Scheme = "wss" }.Uri,
        _ => uri,
    };
}
