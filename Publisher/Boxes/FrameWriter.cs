using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Dandelion.Shared.Protocol;

namespace Dandelion.Publisher.Boxes;

/// <summary>Streams one file from disk as one binary message: the header, then the bytes in 64 KiB chunks.</summary>
internal static class FrameWriter
{
    private const int ChunkBytes = 64 * 1024;

    /// <returns>True when the whole file went; false when it ran short while it was sent (the frame then went out short).</returns>
    public static async Task<bool> SendAsync(WebSocket socket, SendJob job, FileStream file, int version, CancellationToken cancellationToken)
    {
        var header = new FileHeader
        {
            FilePath = job.FilePath,
            Size = version >= ProtocolVersion.V2 ? job.Size : null,
            Sha256 = version >= ProtocolVersion.V2 ? job.Sha256 : null,
        };
        // TTL goes out as a JSON number, as the original writes it (FileHeader.Ttl is text). TTL 0
        // means "the box's default": said as 0 to our boxes; left out for an original box, which
        // would keep a 0 for ever and applies its default (60 s) to a missing TTL.
        if (job.TtlSeconds > 0 || version >= ProtocolVersion.V2)
            header.Extra = new() { ["TTL"] = JsonElement.Parse(job.TtlSeconds.ToString(CultureInfo.InvariantCulture)) };
        await socket.SendAsync(FileFrame.EncodeHeader(header), WebSocketMessageType.Binary, endOfMessage: job.Size == 0, cancellationToken)
            .ConfigureAwait(false);

        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            var remaining = job.Size;
            while (remaining > 0)
            {
                var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(ChunkBytes, remaining)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    await socket.SendAsync(ReadOnlyMemory<byte>.Empty, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);
                    return false;
                }
                remaining -= read;
                await socket.SendAsync(buffer.AsMemory(0, read), WebSocketMessageType.Binary, endOfMessage: remaining == 0, cancellationToken)
                    .ConfigureAwait(false);
            }
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
