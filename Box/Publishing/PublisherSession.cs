using System.Buffers;
using System.Net.WebSockets;
using System.Security.Cryptography;
using Dandelion.Box.Diagnostics;
using Dandelion.Box.Files;
using Dandelion.Box.Node;
using Dandelion.Shared.Auth;
using Dandelion.Shared.Identity;
using Dandelion.Shared.Protocol;
using Dandelion.Shared.WebSockets;
using Microsoft.Extensions.Options;

namespace Dandelion.Box.Publishing;

/// <summary>
/// One publisher's file channel: a PUBLISH handshake, then file frames, each streamed to a
/// temporary file while it is hashed and counted, checked, and only then moved into place.
/// A bad frame is refused (version 2: <c>REFUSED</c>; version 1: logged only) and the
/// connection stays open. All of the state is this session's own.
/// </summary>
internal sealed partial class PublisherSession
{
    private const int ChunkBytes = 64 * 1024;
    private readonly WebSocket _socket;
    private readonly BoxNode _node;
    private readonly FileStore _store;
    private readonly BoxOptions _options;
    private readonly BoxMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<PublisherSession> _logger;
    private readonly WebSocketSender _sender;
    private string _publisherId = "";
    private int _version = ProtocolVersion.V1;

    public PublisherSession(WebSocket socket, BoxNode node, FileStore store, IOptions<BoxOptions> options, BoxMetrics metrics,
        TimeProvider time, ILogger<PublisherSession> logger)
    {
        _socket = socket;
        _node = node;
        _store = store;
        _options = options.Value;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _sender = new WebSocketSender(socket);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _metrics.PublisherSession(1);
        var sending = _sender.RunAsync(cancellationToken);
        try
        {
            if (await HandshakeAsync(cancellationToken))
                await ReceiveFramesAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The publisher went away mid-message; whatever it was sending was never moved into place.
            Log.Gone(_logger, _publisherId, ex.Message);
        }
        finally
        {
            _sender.Complete();
            await sending;
            _metrics.PublisherSession(-1);
        }
    }

    private async Task<bool> HandshakeAsync(CancellationToken cancellationToken)
    {
        using var message = await WebSocketMessageReader.ReceiveAsync(_socket, _options.MaxTextMessageBytes, cancellationToken);
        if (message.Outcome == ReceiveOutcome.Closed)
            return false;
        if (message.Outcome == ReceiveOutcome.TooBig)
            return Fail(ProtocolError.TooBig(_options.MaxTextMessageBytes), null);
        if (message.Type != WebSocketMessageType.Text)
            return Fail(ProtocolError.UnknownCommand("(binary)", null), null);
        if (!ProtocolJson.TryParse(message.Span, ProtocolJsonContext.Default.PublishRequest, out var request, out var parseError))
            return Fail(parseError, null);

        _version = request.SpokenVersion;
        if (MessageValidation.Validate(request) is { } invalid)
            return Fail(invalid, request.Command);
        if (request.Command != Commands.Publish || request.Type != NodeTypes.Publisher)
            return Fail(ProtocolError.UnknownCommand(request.Command, request.Type), request.Command);
        if (!NodeIdentity.IsValid(request.Id, NodeRole.Publisher))
        {
            return Fail(new ProtocolError(ProtocolErrorCodes.MissingField,
                $"{ProtocolError.WrongFormat} ID is not publisher-<32 hex>.", WebSocketCloseStatus.PolicyViolation), request.Command);
        }

        _publisherId = request.Id!;
        if (_node.GrantKey is { } key && (_version >= ProtocolVersion.V2 || _options.RequireGrant)
            && !PublishGrant.Verify(key, request.Grant, _publisherId, _time.GetUtcNow()))
        {
            return Fail(ProtocolError.Unauthorized(request.Grant is null
                ? "PUBLISH needs the GRANT an entrance gave in SEARCH."
                : "the GRANT is expired, for another publisher, or not signed by an entrance."), request.Command);
        }

        var reply = new PublishReply
        {
            Id = _node.Id,
            Ip = _node.Ip,
            Port = _node.Port,
            Type = NodeTypes.Box,
            Message = "ACCEPTED",
            Command = Commands.Publish,
            Version = _version >= ProtocolVersion.V2 ? ProtocolVersion.V2 : null,
            MaxFileSize = _version >= ProtocolVersion.V2 ? _options.MaxFileSize : null,
            HttpUrl = _version >= ProtocolVersion.V2 ? _node.HttpUrl : null,
        };
        await _sender.SendTextAsync(ProtocolJson.Serialize(reply, ProtocolJsonContext.Default.PublishReply), cancellationToken);
        Log.Accepted(_logger, _publisherId, _version);
        return true;
    }

    private async Task ReceiveFramesAsync(CancellationToken cancellationToken)
    {
        var frame = ArrayPool<byte>.Shared.Rent(Math.Max(ChunkBytes,
            FileFrame.OpenTag.Length + _options.MaxHeaderBytes + FileFrame.CloseTag.Length + 1));
        try
        {
            while (true)
            {
                var first = await _socket.ReceiveAsync(frame.AsMemory(), cancellationToken);
                if (first.MessageType == WebSocketMessageType.Close)
                {
                    _sender.Close(WebSocketCloseStatus.NormalClosure, null);
                    return;
                }
                if (first.MessageType == WebSocketMessageType.Text)
                {
                    // Nothing but file frames is expected on the channel once it is open.
                    if (!await DiscardAsync(frame, first.EndOfMessage, cancellationToken))
                        return;
                    Fail(ProtocolError.UnknownCommand("(text after PUBLISH)", NodeTypes.Publisher), null);
                    return;
                }
                if (!await ReceiveFileAsync(frame, first.Count, first.EndOfMessage, cancellationToken))
                    return;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    /// <summary>One binary message; false when the peer closed meanwhile.</summary>
    private async Task<bool> ReceiveFileAsync(byte[] frame, int length, bool endOfMessage, CancellationToken cancellationToken)
    {
        // The header: read until it is complete or cannot become one; the buffer holds the largest allowed.
        FileHeader? header;
        int consumed;
        ProtocolError? frameError;
        while (true)
        {
            var status = FileFrame.TryReadHeader(frame.AsSpan(0, length), endOfMessage, _options.MaxHeaderBytes, out header, out consumed, out frameError);
            if (status != FrameHeaderStatus.NeedMoreData)
                break;
            var more = await _socket.ReceiveAsync(frame.AsMemory(length), cancellationToken);
            if (more.MessageType == WebSocketMessageType.Close)
                return false;
            length += more.Count;
            endOfMessage = more.EndOfMessage;
        }

        if (frameError is not null)
            return await RefuseAsync(header?.FilePath, new FileRefusal(frameError.Code, frameError.Message), frame, endOfMessage, cancellationToken);
        if (_node.Draining)
            return await RefuseAsync(header!.FilePath, FileRefusal.Draining(), frame, endOfMessage, cancellationToken);
        if (!_store.TryAdmit(_publisherId, header!, out var admitted, out var refusal))
            return await RefuseAsync(header!.FilePath, refusal!, frame, endOfMessage, cancellationToken);
        var admission = admitted!;
        var filePath = header!.FilePath;

        string? temporaryPath = null;
        try
        {
            long size = 0;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var file = _store.CreateTemporary(out temporaryPath))
            {
                var start = consumed;
                while (true)
                {
                    var count = length - start;
                    size += count;
                    if (size > _options.MaxFileSize)
                        return await RefuseAsync(filePath, FileRefusal.TooBig(_options.MaxFileSize), frame, endOfMessage, cancellationToken);
                    if (admission.DeclaredSize is { } declared && size > declared)
                        return await RefuseAsync(filePath, SizeMismatch(declared, "more"), frame, endOfMessage, cancellationToken);
                    if (count > 0)
                    {
                        hash.AppendData(frame, start, count);
                        await file.WriteAsync(frame.AsMemory(start, count), cancellationToken);
                    }
                    if (endOfMessage)
                        break;
                    var more = await _socket.ReceiveAsync(frame.AsMemory(), cancellationToken);
                    if (more.MessageType == WebSocketMessageType.Close)
                        return false;
                    start = 0;
                    length = more.Count;
                    endOfMessage = more.EndOfMessage;
                }
            }

            var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (admission.DeclaredSize is { } expected && size != expected)
                return await RefuseAsync(filePath, SizeMismatch(expected, "fewer"), frame, true, cancellationToken);
            if (admission.DeclaredSha256 is { } declaredSha && declaredSha != sha256)
            {
                return await RefuseAsync(filePath, new FileRefusal(ProtocolErrorCodes.HashMismatch,
                    $"SHA256 of the bytes received is {sha256}, not {declaredSha}."), frame, true, cancellationToken);
            }

            if (_store.Commit(admission, temporaryPath, size) is { } late)
                return await RefuseAsync(filePath, late, frame, true, cancellationToken);
            temporaryPath = null;
            _metrics.FileStored(size);
            Log.Stored(_logger, _publisherId, admission.Target.RelativePath, size);
            if (_version >= ProtocolVersion.V2)
            {
                await ReplyAsync(new FileResult
                {
                    Command = Commands.Stored,
                    FilePath = filePath,
                    Size = size,
                    Sha256 = sha256,
                    Url = _node.FileUrl(_publisherId, admission.Target.RelativePath),
                }, cancellationToken);
            }
            return true;
        }
        catch (IOException ex) when (ex is not EndOfStreamException && _socket.State == WebSocketState.Open)
        {
            // The disk, not the socket: refuse this file and keep the channel.
            Log.WriteFailed(_logger, _publisherId, ex.Message);
            return await RefuseAsync(filePath, new FileRefusal(ProtocolErrorCodes.Unavailable, "The box could not write the file."),
                frame, endOfMessage, cancellationToken);
        }
        finally
        {
            if (temporaryPath is not null)
                File.Delete(temporaryPath);
        }
    }

    private static FileRefusal SizeMismatch(long declared, string how) =>
        new(ProtocolErrorCodes.SizeMismatch, $"The frame carried {how} bytes than its SIZE of {declared}.");

    /// <summary>Reads and drops the rest of the message, then answers; false when the peer closed meanwhile.</summary>
    private async Task<bool> RefuseAsync(string? filePath, FileRefusal refusal, byte[] buffer, bool endOfMessage, CancellationToken cancellationToken)
    {
        if (!await DiscardAsync(buffer, endOfMessage, cancellationToken))
            return false;
        _metrics.FileRefused(refusal.Code);
        Log.Refused(_logger, _publisherId, refusal.Code, refusal.Message);
        if (_version >= ProtocolVersion.V2)
        {
            await ReplyAsync(new FileResult { Command = Commands.Refused, FilePath = filePath, Error = refusal.Message, Code = refusal.Code },
                cancellationToken);
        }
        return true;
    }

    private async Task<bool> DiscardAsync(byte[] buffer, bool endOfMessage, CancellationToken cancellationToken)
    {
        while (!endOfMessage)
        {
            var result = await _socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
                return false;
            endOfMessage = result.EndOfMessage;
        }
        return true;
    }

    private ValueTask ReplyAsync(FileResult result, CancellationToken cancellationToken) =>
        _sender.SendTextAsync(ProtocolJson.Serialize(result with
        {
            Id = _node.Id,
            Ip = _node.Ip,
            Port = _node.Port,
            Type = NodeTypes.Box,
            Version = ProtocolVersion.V2,
        }, ProtocolJsonContext.Default.FileResult), cancellationToken);

    /// <summary>Answers a bad handshake as the original does, then closes with the status that says why.</summary>
    private bool Fail(ProtocolError error, string? command)
    {
        var reply = new ErrorReply
        {
            Id = _node.Id,
            Ip = _node.Ip,
            Port = _node.Port,
            Type = NodeTypes.Box,
            Command = command,
            Error = error.Message,
            Code = _version >= ProtocolVersion.V2 ? error.Code : null,
            Version = _version >= ProtocolVersion.V2 ? ProtocolVersion.V2 : null,
        };
        _sender.TrySendText(ProtocolJson.Serialize(reply, ProtocolJsonContext.Default.ErrorReply));
        _sender.Close(error.CloseStatus, error.CloseDescription);
        Log.HandshakeRefused(_logger, error.Code);
        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Publisher {Publisher} connected (version {Version})")]
        public static partial void Accepted(ILogger logger, string publisher, int version);

        [LoggerMessage(2, LogLevel.Information, "Refused a publisher connection: {Code}")]
        public static partial void HandshakeRefused(ILogger logger, string code);

        [LoggerMessage(3, LogLevel.Debug, "Stored {Publisher}/{Path} ({Size} bytes)")]
        public static partial void Stored(ILogger logger, string publisher, string path, long size);

        [LoggerMessage(4, LogLevel.Warning, "Refused a file from {Publisher}: {Code}: {Reason}")]
        public static partial void Refused(ILogger logger, string publisher, string code, string reason);

        [LoggerMessage(5, LogLevel.Information, "Publisher {Publisher} went away: {Reason}")]
        public static partial void Gone(ILogger logger, string publisher, string reason);

        [LoggerMessage(6, LogLevel.Error, "Could not write a file from {Publisher}: {Reason}")]
        public static partial void WriteFailed(ILogger logger, string publisher, string reason);
    }
}
