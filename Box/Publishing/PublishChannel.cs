using Dandelion.Box.Files;
using Dandelion.Box.Node;
using Dandelion.Box.Signing;
using Dandelion.Shared.Auth;
using Dandelion.Shared.Connections;
using Dandelion.Shared.Protocol;
using Microsoft.Extensions.Options;

namespace Dandelion.Box.Publishing;

/// <summary>
/// One publisher's file channel: a PUBLISH handshake (checked as docs/PROTOCOL.md says, with
/// the grant when an entrance gave a key), then file frames, each handed to
/// <see cref="FrameReceiver"/> and answered (version 2: <c>STORED</c>/<c>REFUSED</c>; version 1:
/// never). A bad frame keeps the connection; a bad handshake or text after it closes it.
/// </summary>
internal sealed partial class PublishChannel(BoxNode node, FrameReceiver receiver, FileStore store, ViewerKeys viewerKeys, IOptions<BoxOptions> options,
    TimeProvider time, ILogger<PublishChannel> logger) : IPeerHandler
{
    private string? _publisherId;
    private PeerConnection? _connection;

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
        var (refused, urlKey) = Check(request);
        if (refused is not null)
        {
            connection.Refuse(refused, request.Command);
            return;
        }

        _publisherId = request.Id!;
        if (urlKey is not null)
            viewerKeys.Learn(_publisherId, urlKey);
        var v2 = connection.PeerVersion >= ProtocolVersion.V2;
        await connection.SendAsync(new PublishReply
        {
            Command = Commands.Publish,
            Message = "ACCEPTED",
            MaxFileSize = v2 ? options.Value.MaxFileSize : null,
            HttpUrl = v2 ? node.HttpUrl : null,
        }, ProtocolJsonContext.Default.PublishReply, cancellationToken);
        Log.Accepted(logger, _publisherId, connection.PeerVersion);
        if (v2)
        {
            _connection = connection;
            store.Removed += OnRemoved;
        }
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
        store.Removed -= OnRemoved;
        if (_publisherId is not null)
            Log.Gone(logger, _publisherId, connection.EndReason ?? "");
        return default;
    }

    /// <summary>
    /// Tells this channel's publisher which of its files went (<c>REMOVED</c>), in messages of at most
    /// <see cref="FilesRemoved.MaxPathBytes"/> of paths. Queued without waiting (this runs on the
    /// sweep, a purge or a viewer's request); a full send queue drops the notice, logged.
    /// </summary>
    private void OnRemoved(IReadOnlyList<string> keys)
    {
        if (_connection is not { IsOpen: true } connection || _publisherId is null)
            return;
        var prefix = _publisherId + "/";
        var batch = new List<string>();
        var bytes = 0;
        foreach (var key in keys)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
                continue;
            var path = "/" + key[prefix.Length..];
            var size = EscapedBytes(path);
            if (batch.Count > 0 && bytes + size > FilesRemoved.MaxPathBytes)
            {
                Send(connection, batch);
                batch = [];
                bytes = 0;
            }
            batch.Add(path);
            bytes += size;
        }
        if (batch.Count > 0)
            Send(connection, batch);
    }

    /// <summary>At most what the path takes in the JSON: quoted, a comma, and anything but plain ASCII escaped as <c>\uXXXX</c>.</summary>
    private static int EscapedBytes(string path) =>
        3 + path.Sum(c => c is < (char)0x20 or >= (char)0x7f or '"' or '\\' or '<' or '>' or '&' or '\'' or '+' or '`' ? 6 : 1);

    private void Send(PeerConnection connection, List<string> paths)
    {
        var message = connection.Serialize(new FilesRemoved { Command = Commands.Removed, FilePaths = paths }, ProtocolJsonContext.Default.FilesRemoved);
        if (!connection.TrySendText(message))
            Log.RemovedNotSent(logger, _publisherId!, paths.Count);
    }

    /// <returns>The refusal, or the viewer URL key to take: the one the grant vouches for, when it names one.</returns>
    private (ProtocolError? Refused, byte[]? UrlKey) Check(PublishRequest request)
    {
        if (MessageValidation.Validate(request) is { } invalid)
            return (invalid, null);
        if (request.Command != Commands.Publish || request.Type != NodeTypes.Publisher)
            return (ProtocolError.UnknownCommand(request.Command, request.Type), null);
        if (MessageValidation.CheckId(request) is { } badId)
            return (badId, null);
        var checksGrant = request.SpokenVersion >= ProtocolVersion.V2 || options.Value.RequireGrant;
        if (checksGrant && node.AwaitingEntrance)
            return (ProtocolError.Unavailable("the box has not yet heard from its entrance, so it cannot check a grant; try again."), null);
        if (!checksGrant || node.GrantKey is not { } key)
            return (null, null);
        if (!PublishGrant.Verify(key, request.Grant, request.Id!, node.Id, time.GetUtcNow(), out var fingerprint))
        {
            return (ProtocolError.Unauthorized(request.Grant is null
                ? "PUBLISH needs the GRANT for this box an entrance gave in SEARCH."
                : "the GRANT is expired, for another publisher or box, or not signed by an entrance."), null);
        }
        if (fingerprint is null)
            return (null, null);
        // The entrance vouched for one key: only that one is taken, and the channel opens only with it.
        var urlKey = ViewerUrl.ParseKey(request.UrlKey);
        if (urlKey is null || ViewerUrl.Fingerprint(urlKey) != fingerprint)
            return (ProtocolError.Unauthorized("URL_KEY is missing or not the key the GRANT names."), null);
        return (null, urlKey);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Publisher {Publisher} connected (version {Version})")]
        public static partial void Accepted(ILogger logger, string publisher, int version);

        [LoggerMessage(6, LogLevel.Warning, "Publisher {Publisher} was not told that {Count} of its files went: its channel's send queue is full")]
        public static partial void RemovedNotSent(ILogger logger, string publisher, int count);

        [LoggerMessage(5, LogLevel.Information, "Publisher {Publisher} went away: {Reason}")]
        public static partial void Gone(ILogger logger, string publisher, string reason);
    }
}
