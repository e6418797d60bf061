using System.Text;
using Dandelion.Shared.Protocol;

namespace Dandelion.Shared.Tests;

public sealed class FileFrameTests
{
    [Fact]
    public void Header_round_trips_and_file_bytes_follow()
    {
        var header = new FileHeader { FilePath = "/live/seg-1.ts", Ttl = "60", Size = 3, Sha256 = "abc" };
        var frame = FileFrame.EncodeHeader(header).Concat(new byte[] { 1, 2, 3 }).ToArray();

        var status = FileFrame.TryReadHeader(frame, endOfMessage: true, FileFrame.DefaultMaxHeaderBytes, out var read, out var consumed, out var error);

        Assert.Equal(FrameHeaderStatus.Complete, status);
        Assert.Null(error);
        Assert.Equal("/live/seg-1.ts", read!.FilePath);
        Assert.Equal("60", read.Ttl);
        Assert.Equal(3, read.Size);
        Assert.Equal(new byte[] { 1, 2, 3 }, frame[consumed..]);
    }

    [Fact]
    public void Header_cut_short_asks_for_more_until_the_message_ends()
    {
        var frame = Encoding.UTF8.GetBytes("<Dandelion>{\"FILE_PATH\":\"/a\"");

        Assert.Equal(FrameHeaderStatus.NeedMoreData,
            FileFrame.TryReadHeader(frame, endOfMessage: false, 1024, out _, out _, out _));
        Assert.Equal(FrameHeaderStatus.Invalid,
            FileFrame.TryReadHeader(frame, endOfMessage: true, 1024, out _, out _, out var error));
        Assert.Equal(ProtocolErrorCodes.BadFrame, error!.Code);
    }
}
