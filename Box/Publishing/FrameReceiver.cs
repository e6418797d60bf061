using System.Buffers;
using System.Security.Cryptography;
using Dandelion.Box.Diagnostics;
using Dandelion.Box.Files;
using Dandelion.Box.Node;
using Dandelion.Shared.Connections;
using Dandelion.Shared.Protocol;
using Microsoft.Extensions.Options;

namespace Dandelion.Box.Publishing;

/// <summary>
/// One file frame: its header read and checked before any byte is written, then the body
/// streamed to a temporary file while it is hashed and counted, checked, and only then moved
/// into place. A refused frame's rest is read and dropped, never buffered.
/// </summary>
internal sealed partial class FrameReceiver(BoxNode node, FileStore store, IOptions<BoxOptions> options, BoxMetrics metrics,
    ILogger<FrameReceiver> logger)
{
    private const int ChunkBytes = 64 * 1024;
    private readonly BoxOptions _options = options.Value;

    /// <returns><c>STORED</c> or <c>REFUSED</c> for the frame; null when the publisher closed in the middle of it.</returns>
    public async Task<FileResult?> ReceiveAsync(BinaryMessage message, string publisherId, CancellationToken cancellationToken)
    {
        // Holds the largest header allowed, so the header is always decided within it.
        var frame = ArrayPool<byte>.Shared.Rent(Math.Max(ChunkBytes,
            FileFrame.OpenTag.Length + _options.MaxHeaderBytes + FileFrame.CloseTag.Length + 1));
        try
        {
            var length = 0;
            FileHeader? header;
            int consumed;
            ProtocolError? frameError;
            while (FileFrame.TryReadHeader(frame.AsSpan(0, length), message.Ended, _options.MaxHeaderBytes, out header, out consumed,
                out frameError) == FrameHeaderStatus.NeedMoreData)
            {
                length += await message.ReadAsync(frame.AsMemory(length), cancellationToken);
                if (message.PeerClosed)
                    return null;
            }

            FileRefusal? refusal;
            if (frameError is not null)
                refusal = new FileRefusal(frameError.Code, frameError.Message);
            else if (node.Leaving)
                refusal = FileRefusal.Leaving();
            else if (node.Draining)
                refusal = FileRefusal.Draining();
            else if (store.TryAdmit(publisherId, header!, out var admission, out refusal))
            {
                var stored = await StoreAsync(message, admission!, header!.FilePath, publisherId, frame, consumed, length, cancellationToken);
                if (message.PeerClosed || stored.Result is not null)
                    return stored.Result;
                refusal = stored.Refusal;
            }

            if (!await message.DiscardRestAsync(cancellationToken))
                return null;
            metrics.FileRefused(refusal!.Code);
            Log.Refused(logger, publisherId, refusal.Code, refusal.Message);
            return new FileResult { Command = Commands.Refused, FilePath = header?.FilePath, Error = refusal.Message, Code = refusal.Code };
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    /// <summary>The body after the header; <paramref name="frame"/> holds its first bytes from <paramref name="start"/> to <paramref name="length"/>.</summary>
    private async Task<(FileResult? Result, FileRefusal? Refusal)> StoreAsync(BinaryMessage message, Admission admission, string? filePath,
        string publisherId, byte[] frame, int start, int length, CancellationToken cancellationToken)
    {
        string? temporaryPath = null;
        var reading = false;
        using var reservation = store.StartUpload(admission.Target);
        try
        {
            if (admission.DeclaredSize is { } whole && store.Reserve(reservation, whole) is { } full)
                return (null, full);
            long size = 0;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var file = store.CreateTemporary(out temporaryPath))
            {
                while (true)
                {
                    var count = length - start;
                    size += count;
                    if (size > _options.MaxFileSize)
                        return (null, FileRefusal.TooBig(_options.MaxFileSize));
                    if (admission.DeclaredSize is { } declared && size > declared)
                        return (null, SizeMismatch(declared, "more"));
                    // Room for these bytes is taken before they reach the disk, beside every other upload's.
                    if (store.Reserve(reservation, size) is { } noRoom)
                        return (null, noRoom);
                    if (count > 0)
                    {
                        hash.AppendData(frame, start, count);
                        await file.WriteAsync(frame.AsMemory(start, count), cancellationToken);
                    }
                    if (message.Ended)
                        break;
                    reading = true;
                    length = await message.ReadAsync(frame, cancellationToken);
                    reading = false;
                    if (message.PeerClosed)
                        return (null, null);
                    start = 0;
                }
            }

            var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (admission.DeclaredSize is { } expected && size != expected)
                return (null, SizeMismatch(expected, "fewer"));
            if (admission.DeclaredSha256 is { } declaredSha && declaredSha != sha256)
                return (null, new FileRefusal(ProtocolErrorCodes.HashMismatch, $"SHA256 of the bytes received is {sha256}, not {declaredSha}."));
            if (node.Leaving)
                return (null, FileRefusal.Leaving());
            if (store.Commit(admission, reservation, temporaryPath, size) is { } late)
                return (null, late);
            temporaryPath = null;
            metrics.FileStored(size);
            Log.Stored(logger, publisherId, admission.Target.RelativePath, size);
            return (new FileResult
            {
                Command = Commands.Stored,
                FilePath = filePath,
                Size = size,
                Sha256 = sha256,
                Url = node.FileUrl(publisherId, admission.Target.RelativePath),
                Ttl = (long)admission.Ttl.TotalSeconds,
            }, null);
        }
        catch (IOException ex) when (!reading)
        {
            // The disk, not the socket: refuse this file and keep the channel.
            Log.WriteFailed(logger, publisherId, ex.Message);
            return (null, new FileRefusal(ProtocolErrorCodes.Unavailable, "The box could not write the file."));
        }
        finally
        {
            if (temporaryPath is not null)
                File.Delete(temporaryPath);
        }
    }

    private static FileRefusal SizeMismatch(long declared, string how) =>
        new(ProtocolErrorCodes.SizeMismatch, $"The frame carried {how} bytes than its SIZE of {declared}.");

    private static partial class Log
    {
        [LoggerMessage(3, LogLevel.Debug, "Stored {Publisher}/{Path} ({Size} bytes)")]
        public static partial void Stored(ILogger logger, string publisher, string path, long size);

        [LoggerMessage(4, LogLevel.Warning, "Refused a file from {Publisher}: {Code}: {Reason}")]
        public static partial void Refused(ILogger logger, string publisher, string code, string reason);

        [LoggerMessage(6, LogLevel.Error, "Could not write a file from {Publisher}: {Reason}")]
        public static partial void WriteFailed(ILogger logger, string publisher, string reason);
    }
}
