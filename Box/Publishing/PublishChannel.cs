using System.Net.WebSockets;
using Dandelion.Box.Node;
using Dandelion.Shared.Auth;
using Dandelion.Shared.Connections;
using Dandelion.Shared.Identity;
using Dandelion.Shared.Protocol;
using Microsoft.Extensions.Options;

namespace Dandelion.Box.Publishing;

/// <summary>
/// One publisher's file channel: a PUBLISH handshake (checked as docs/PROTOCOL.md says, with
/// the grant when an entrance gave a key), then file frames, each handed to
/// <see cref="FrameReceiver"/> and answered (version 2: <c>STORED</c>/<c>REFUSED</c>; version 1:
/// never). A bad frame keeps the connection; a bad handshake or text after it closes it.
/// </summary>
internal sealed partial class PublishChannel(BoxNode node, FrameReceiver receiver, IOptions<BoxOptions> options, TimeProvider time,
    ILogger<PublishChannel> logger) : IPeerHandler
{
    private string? _publisherId;

    public async ValueTask OnTextAsync(PeerConnection connection, ReadOnlyMemory<byte> utf8, CancellationToken cancellationToken)
    {
        if (_publisherId is not null)
        {
            // Nothing but file frames is expected on the channel once it is open.
            connection.Refuse(ProtocolError.UnknownCommand("(text after PUBLISH)", NodeTypes.Publisher), null);
            return;
        }
        if (!ProtocolJson.TryParse(utf8.Span, ProtocolJsonContext.Default.PublishRequest, out var request, out var parseError))
        {
            connection.Refuse(parseError, null);
            return;
        }
        connection.PeerVersion = request.SpokenVersion;
        if (Check(request) is { } refused)
        {
            connection.Refuse(refused, request.Command);
            return;
        }

        _publisherId = request.Id!;
        var v2 = connection.PeerVersion >= ProtocolVersion.V2;
        await connection.SendAsync(new PublishReply
        {
            Command = Commands.Publish,
            Message = "ACCEPTED",
            MaxFileSize = v2 ? options.Value.MaxFileSize : null,
            HttpUrl = v2 ? node.HttpUrl : null,
        }, ProtocolJsonContext.Default.PublishReply, cancellationToken);
        Log.Accepted(logger, _publisherId, connection.PeerVersion);
    }

    public async ValueTask OnBinaryAsync(PeerConnection connection, BinaryMessage message, CancellationToken cancellationToken)
    {
        if (_publisherId is null)
        {
            connection.Refuse(ProtocolError.UnknownCommand("(binary)", null), null);
            return;
        }
        var result = await receiver.ReceiveAsync(message, _publisherId, cancellationToken);
        if (result is not null && connection.PeerVersion >= ProtocolVersion.V2)
            await connection.SendAsync(result, ProtocolJsonContext.Default.FileResult, cancellationToken);
    }

    public ValueTask OnClosedAsync(PeerConnection connection)
    {
        if (_publisherId is not null)
            Log.Gone(logger, _publisherId, connection.EndReason ?? "");
        return default;
    }

    private ProtocolError? Check(PublishRequest request)
    {
        if (MessageValidation.Validate(request) is { } invalid)
            return invalid;
        if (request.Command != Commands.Publish || request.Type != NodeTypes.Publisher)
            return ProtocolError.UnknownCommand(request.Command, request.Type);
        if (!NodeIdentity.IsValid(request.Id, NodeRole.Publisher))
            return new ProtocolError(ProtocolErrorCodes.MissingField, $"{ProtocolError.WrongFormat} ID is not publisher-<32 hex>.", WebSocketCloseStatus.PolicyViolation);
        if (node.GrantKey is { } key && (request.SpokenVersion >= ProtocolVersion.V2 || options.Value.RequireGrant)
            && !PublishGrant.Verify(key, request.Grant, request.Id!, node.Id, time.GetUtcNow()))
        {
            return ProtocolError.Unauthorized(request.Grant is null
                ? "PUBLISH needs the GRANT for this box an entrance gave in SEARCH."
                : "the GRANT is expired, for another publisher or box, or not signed by an entrance.");
        }
        return null;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Publisher {Publisher} connected (version {Version})")]
        public static partial void Accepted(ILogger logger, string publisher, int version);

        [LoggerMessage(5, LogLevel.Information, "Publisher {Publisher} went away: {Reason}")]
        public static partial void Gone(ILogger logger, string publisher, string reason);
    }
}
