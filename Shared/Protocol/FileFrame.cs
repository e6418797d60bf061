using System.Buffers;

namespace Dandelion.Shared.Protocol;

/// <summary>The outcome of looking for a file frame's header at the start of a buffer.</summary>
public enum FrameHeaderStatus
{
    /// <summary>The header is complete; the file bytes start at the consumed offset.</summary>
    Complete,
    /// <summary>Everything so far fits a header; read more bytes and try again.</summary>
    NeedMoreData,
    /// <summary>This can never become a valid header.</summary>
    Invalid,
}

/// <summary>
/// The binary file frame: <c>&lt;Dandelion&gt;{json header}&lt;/Dandelion&gt;{file bytes}</c>.
/// The header is read from the first bytes of a message, so a receiver can parse it
/// from its first buffer and stream the rest straight to disk.
/// </summary>
public static class FileFrame
{
    /// <summary>Largest header accepted unless configured otherwise: 16 KiB.</summary>
    public const int DefaultMaxHeaderBytes = 16 * 1024;

    /// <summary>The longest <c>TTL</c> any of our boxes accepts (the ceiling of <c>Box:MaxTtl</c>): 365 days.</summary>
    public const long LongestTtlSeconds = 365L * 24 * 3600;

    public static ReadOnlySpan<byte> OpenTag => "<Dandelion>"u8;
    public static ReadOnlySpan<byte> CloseTag => "</Dandelion>"u8;

    /// <summary>
    /// Looks for a complete header at the start of <paramref name="buffer"/>. On
    /// <see cref="FrameHeaderStatus.Complete"/>, <paramref name="consumed"/> is the offset of
    /// the first file byte. <paramref name="endOfMessage"/> says no more bytes will come,
    /// which turns a missing closing tag into an error.
    /// </summary>
    public static FrameHeaderStatus TryReadHeader(ReadOnlySpan<byte> buffer, bool endOfMessage, int maxHeaderBytes,
        out FileHeader? header, out int consumed, out ProtocolError? error)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxHeaderBytes);
        header = null;
        consumed = 0;
        error = null;

        var open = OpenTag;
        var prefix = buffer[..Math.Min(buffer.Length, open.Length)];
        if (!open.StartsWith(prefix))
        {
            error = BadFrame("the frame does not start with <Dandelion>.");
            return FrameHeaderStatus.Invalid;
        }

        var searchable = buffer[prefix.Length..];
        var close = searchable.IndexOf(CloseTag);
        // In long: a limit near int.MaxValue ("no limit") must not wrap negative and refuse everything.
        var limit = (long)open.Length + maxHeaderBytes + CloseTag.Length;
        if (close < 0)
        {
            if (buffer.Length >= limit)
            {
                error = BadFrame($"no </Dandelion> within {maxHeaderBytes} bytes of header.");
                return FrameHeaderStatus.Invalid;
            }
            if (endOfMessage)
            {
                error = BadFrame("the frame ended before </Dandelion>.");
                return FrameHeaderStatus.Invalid;
            }
            return FrameHeaderStatus.NeedMoreData;
        }

        if (close > maxHeaderBytes)
        {
            error = BadFrame($"header larger than {maxHeaderBytes} bytes.");
            return FrameHeaderStatus.Invalid;
        }

        var json = searchable[..close];
        try
        {
            header = JsonSerializer.Deserialize(json, ProtocolJsonContext.Default.FileHeader);
        }
        catch (JsonException)
        {
            header = null;
        }

        if (header is null)
        {
            error = BadFrame("the header is not a JSON object.");
            return FrameHeaderStatus.Invalid;
        }
        if (!ExtensionData.IsWellFormed(header.Extra))
        {
            header = null;
            error = BadFrame("the header holds an escaped lone surrogate (\\uD800-\\uDFFF), which has no UTF-8 form.");
            return FrameHeaderStatus.Invalid;
        }

        consumed = open.Length + close + CloseTag.Length;
        return FrameHeaderStatus.Complete;
    }

    /// <summary>Writes <c>&lt;Dandelion&gt;{header}&lt;/Dandelion&gt;</c>; the file bytes follow.</summary>
    public static void WriteHeader(FileHeader header, IBufferWriter<byte> output)
    {
        output.Write(OpenTag);
        using (var writer = new Utf8JsonWriter(output))
        {
            JsonSerializer.Serialize(writer, header, ProtocolJsonContext.Default.FileHeader);
        }
        output.Write(CloseTag);
    }

    /// <summary>The header prefix as one array, for senders that write it as the first chunk.</summary>
    public static byte[] EncodeHeader(FileHeader header)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteHeader(header, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static ProtocolError BadFrame(string detail) =>
        new(ProtocolErrorCodes.BadFrame, $"Bad file frame: {detail}", System.Net.WebSockets.WebSocketCloseStatus.InvalidPayloadData);
}
