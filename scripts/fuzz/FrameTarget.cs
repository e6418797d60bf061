using Dandelion.Shared.Protocol;

namespace Dandelion.Fuzz;

/// <summary>
/// One fuzz case: the input is a frame as a publisher's binary message would carry it. Its first
/// byte picks the header limit and where the message is split in two receives; the rest goes
/// through the frame codec whole and in two parts, and its header's JSON through the message
/// parser. Anything thrown, or an answer that breaks the codec's contract, is a crash for AFL.
/// </summary>
internal static class FrameTarget
{
    public static void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
            return;
        var control = input[0];
        var frame = input[1..];
        int[] limits = [0, 16, 256, FileFrame.DefaultMaxHeaderBytes];
        var limit = limits[control & 3];

        var whole = Check(frame, endOfMessage: true, limit);
        // Arriving in two receives: the first part alone must not claim more than the whole.
        var split = frame.IsEmpty ? 0 : (control >> 2) % frame.Length;
        var first = Check(frame[..split], endOfMessage: false, limit);
        if (first == FrameHeaderStatus.Complete && whole != FrameHeaderStatus.Complete)
            throw new InvalidOperationException("a prefix of the frame is complete but the frame is not.");

        if (whole == FrameHeaderStatus.Complete)
        {
            // The header round-trips through the encoder.
            FileFrame.TryReadHeader(frame, true, limit, out var header, out _, out _);
            var again = FileFrame.EncodeHeader(header!);
            var reread = FileFrame.TryReadHeader(again, true, int.MaxValue, out var copy, out _, out _);
            if (reread != FrameHeaderStatus.Complete || copy!.FilePath != Utf8(header!.FilePath) || copy.Size != header.Size || copy.Ttl != Utf8(header.Ttl))
                throw new InvalidOperationException("a header read back from its own encoding differs.");
        }

        // The same bytes as a text message of each kind a node parses.
        Parse(frame, ProtocolJsonContext.Default.ExchangeRequest);
        Parse(frame, ProtocolJsonContext.Default.SearchRequest);
        Parse(frame, ProtocolJsonContext.Default.PublishRequest);
        Parse(frame, ProtocolJsonContext.Default.FileHeader);
    }

    // A lone surrogate has no UTF-8 form: written, it becomes U+FFFD, as with any encoder.
    private static string? Utf8(string? text) =>
        text is null ? null : System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(text));

    private static FrameHeaderStatus Check(ReadOnlySpan<byte> frame, bool endOfMessage, int limit)
    {
        var status = FileFrame.TryReadHeader(frame, endOfMessage, limit, out var header, out var consumed, out var error);
        var kept = status switch
        {
            FrameHeaderStatus.Complete => header is not null && error is null && consumed > 0 && consumed <= frame.Length,
            FrameHeaderStatus.NeedMoreData => !endOfMessage && header is null && error is null && consumed == 0,
            FrameHeaderStatus.Invalid => header is null && error is { Code: ProtocolErrorCodes.BadFrame } && consumed == 0,
            _ => false,
        };
        return kept ? status : throw new InvalidOperationException($"the frame codec broke its contract: {status}.");
    }

    private static void Parse<T>(ReadOnlySpan<byte> utf8, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        if (!ProtocolJson.TryParse(utf8, type, out var message, out var error) && error.Code != ProtocolErrorCodes.BadJson)
            throw new InvalidOperationException($"the parser refused with {error.Code}, not bad-json.");
        _ = message;
    }
}
