using CsCheck;
using Dandelion.Shared.Protocol;

namespace Dandelion.Shared.Tests.Properties;

/// <summary>
/// The frame codec (<see cref="FileFrame"/>) over generated headers and bytes: what is encoded is
/// read back; a header cut anywhere is "need more" while more may come and bad-frame once the
/// message ended; bytes changed anywhere or made up entirely are read or refused as bad-frame,
/// never thrown.
/// </summary>
public sealed class FileFrameProperties
{
    // Any text (a lone surrogate has no UTF-8 form: it is made U+FFFD first, as any encoder would),
    // with the characters a path or a frame could trip on weighted in.
    private static readonly Gen<string> Text = Gen.Frequency(
        (3, Gen.String),
        (2, Gen.Char["/.\\\"<>{}: %\0\u2024\uFF0E\u3002\u00e9\ud83d\ude00abc"].Array[0, 40].Select(c => new string(c))),
        (1, Gen.Const("</Dandelion>")))
        .Select(s => System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(s)));

    private static readonly Gen<FileHeader> Headers = Gen.Select(Text, Gen.Select(Gen.Bool, Gen.Long, (has, value) => has ? value : (long?)null), Gen.Char["0123456789abcdef"].Array[0, 64], Text,
        (path, size, sha, ttl) => new FileHeader { FilePath = path, Size = size, Sha256 = sha.Length == 0 ? null : new string(sha), Ttl = ttl });

    private static readonly Gen<(FileHeader, byte[])> Frames = Gen.Select(Headers, Gen.Byte.Array[0, 64]);

    private static FrameHeaderStatus Read(byte[] buffer, bool end, out FileHeader? header, out int consumed, out ProtocolError? error) =>
        FileFrame.TryReadHeader(buffer, end, FileFrame.DefaultMaxHeaderBytes, out header, out consumed, out error);

    [Fact]
    public void What_is_encoded_is_read_back_and_the_file_bytes_follow()
    {
        Frames.Sample((header, body) =>
        {
            var encoded = FileFrame.EncodeHeader(header);
            var frame = encoded.Concat(body).ToArray();
            var status = Read(frame, true, out var read, out var consumed, out var error);
            Assert.Equal(FrameHeaderStatus.Complete, status);
            Assert.Null(error);
            Assert.Equal(encoded.Length, consumed);
            Assert.Equal(header.FilePath, read!.FilePath);
            Assert.Equal(header.Size, read.Size);
            Assert.Equal(header.Sha256, read.Sha256);
            Assert.Equal(header.Ttl, read.Ttl);
            Assert.Equal(body, frame[consumed..]);
        }, iter: PropertyRuns.Cases, threads: PropertyRuns.Threads);
    }

    [Fact]
    public void The_encoder_never_writes_the_closing_tag_inside_the_header()
    {
        // JSON escapes '<' and '>' ("\u003C"), so a path holding "</Dandelion>" cannot end the header early.
        Headers.Sample(header =>
        {
            var encoded = FileFrame.EncodeHeader(header);
            Assert.Equal(encoded.Length - FileFrame.CloseTag.Length - FileFrame.OpenTag.Length,
                encoded.AsSpan(FileFrame.OpenTag.Length).IndexOf(FileFrame.CloseTag));
        }, iter: PropertyRuns.Cases, threads: PropertyRuns.Threads);
    }

    [Fact]
    public void A_header_cut_anywhere_needs_more_data_until_the_message_ends_then_is_a_bad_frame()
    {
        Gen.Select(Headers, Gen.Double[0, 1]).Sample((header, share) =>
        {
            var encoded = FileFrame.EncodeHeader(header);
            var cut = encoded[..(int)(share * (encoded.Length - 1))];
            Assert.Equal(FrameHeaderStatus.NeedMoreData, Read(cut, false, out _, out _, out var more));
            Assert.Null(more);
            Assert.Equal(FrameHeaderStatus.Invalid, Read(cut, true, out var none, out var consumed, out var error));
            Assert.Null(none);
            Assert.Equal(0, consumed);
            Assert.Equal(ProtocolErrorCodes.BadFrame, error!.Code);
        }, iter: PropertyRuns.Cases, threads: PropertyRuns.Threads);
    }

    [Fact]
    public void A_frame_with_bytes_changed_anywhere_is_read_or_refused_as_a_bad_frame_never_thrown()
    {
        Gen.Select(Frames, Gen.Int[0, 1000].Array[1, 8], Gen.Byte.Array[8], Gen.Bool).Sample((frame, at, values, end) =>
        {
            var bytes = FileFrame.EncodeHeader(frame.Item1).Concat(frame.Item2).ToArray();
            for (var i = 0; i < at.Length; i++)
                bytes[at[i] % bytes.Length] = values[i];
            Assert.True(Holds(bytes, end));
        }, iter: PropertyRuns.Cases, threads: PropertyRuns.Threads);
    }

    [Fact]
    public void Bytes_made_up_entirely_are_read_or_refused_as_a_bad_frame_never_thrown()
    {
        var tag = Gen.Const(FileFrame.OpenTag.ToArray());
        Gen.Select(Gen.Frequency((1, Gen.Byte.Array[0, 300]), (3, Gen.Select(tag, Gen.Byte.Array[0, 300], (t, b) => t.Concat(b).ToArray()))), Gen.Bool)
            .Sample((bytes, end) => Assert.True(Holds(bytes, end)), iter: PropertyRuns.Cases, threads: PropertyRuns.Threads);
    }

    [Fact]
    public void A_header_over_the_limit_is_refused_whatever_it_holds()
    {
        Gen.Select(Gen.Int[0, 200], Gen.Byte[32, 126].Array[201, 400], Gen.Bool).Sample((limit, filler, end) =>
        {
            var bytes = FileFrame.OpenTag.ToArray().Concat(filler.Where(b => b != (byte)'<')).Concat(FileFrame.CloseTag.ToArray()).ToArray();
            var status = FileFrame.TryReadHeader(bytes, end, limit, out _, out _, out var error);
            if (bytes.Length - FileFrame.OpenTag.Length - FileFrame.CloseTag.Length > limit)
            {
                Assert.Equal(FrameHeaderStatus.Invalid, status);
                Assert.Equal(ProtocolErrorCodes.BadFrame, error!.Code);
            }
        }, iter: PropertyRuns.Cases, threads: PropertyRuns.Threads);
    }

    /// <summary>The codec's contract on any input: a known status, an error exactly when invalid, consumed within the buffer.</summary>
    internal static bool Holds(byte[] bytes, bool end)
    {
        var status = Read(bytes, end, out var header, out var consumed, out var error);
        return status switch
        {
            FrameHeaderStatus.Complete => header is not null && error is null && consumed > 0 && consumed <= bytes.Length,
            FrameHeaderStatus.NeedMoreData => !end && header is null && error is null && consumed == 0,
            FrameHeaderStatus.Invalid => header is null && error is { Code: ProtocolErrorCodes.BadFrame } && consumed == 0,
            _ => false,
        };
    }
}
