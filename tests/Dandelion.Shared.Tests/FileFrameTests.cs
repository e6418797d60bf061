using System.Text;
using System.Text.Json;
using Dandelion.Shared.Protocol;

namespace Dandelion.Shared.Tests;

public sealed class FileFrameTests
{
    private static FrameHeaderStatus Read(byte[] buffer, bool endOfMessage, out FileHeader? header, out int consumed, out ProtocolError? error,
        int maxHeaderBytes = FileFrame.DefaultMaxHeaderBytes) =>
        FileFrame.TryReadHeader(buffer, endOfMessage, maxHeaderBytes, out header, out consumed, out error);

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void Header_round_trips_and_file_bytes_follow()
    {
        var header = new FileHeader { FilePath = "/live/seg-1.ts", Ttl = "60", Size = 3, Sha256 = "abc" };
        var frame = FileFrame.EncodeHeader(header).Concat(new byte[] { 1, 2, 3 }).ToArray();

        var status = Read(frame, endOfMessage: true, out var read, out var consumed, out var error);

        Assert.Equal(FrameHeaderStatus.Complete, status);
        Assert.Null(error);
        Assert.Equal("/live/seg-1.ts", read!.FilePath);
        Assert.Equal("60", read.Ttl);
        Assert.Equal(3, read.Size);
        Assert.Equal("abc", read.Sha256);
        Assert.Equal(new byte[] { 1, 2, 3 }, frame[consumed..]);
    }

    [Fact]
    public void Encoded_header_is_the_tags_around_the_json()
    {
        var encoded = Encoding.UTF8.GetString(FileFrame.EncodeHeader(new FileHeader { FilePath = "/a.ts", Ttl = "0" }));

        Assert.Equal("<Dandelion>{\"FILE_PATH\":\"/a.ts\",\"TTL\":\"0\"}</Dandelion>", encoded);
    }

    [Fact]
    public void Version_1_header_with_a_numeric_ttl_is_read()
    {
        // What the original publisher sends: Python's json.dumps with spaces, TTL a number.
        var frame = Bytes("<Dandelion>{\"FILE_PATH\": \"/home/pub/live/seg-1.ts\", \"TTL\": 60}</Dandelion>xyz");

        Assert.Equal(FrameHeaderStatus.Complete, Read(frame, true, out var header, out var consumed, out _));

        Assert.Equal("/home/pub/live/seg-1.ts", header!.FilePath);
        Assert.Equal("60", header.Ttl);
        Assert.Null(header.Size);
        Assert.Equal("xyz", Encoding.UTF8.GetString(frame, consumed, frame.Length - consumed));
    }

    [Fact]
    public void Header_arriving_a_byte_at_a_time_needs_more_data_until_the_closing_tag_is_whole()
    {
        var header = FileFrame.EncodeHeader(new FileHeader { FilePath = "/live/seg-1.ts", Ttl = "60" });
        var frame = header.Concat(Bytes("BODY")).ToArray();

        for (var length = 0; length < header.Length; length++)
        {
            var status = Read(frame[..length], endOfMessage: false, out var partial, out var consumed, out var error);
            Assert.True(status == FrameHeaderStatus.NeedMoreData, $"{length} bytes gave {status}: {error?.Message}");
            Assert.Null(partial);
            Assert.Equal(0, consumed);
        }

        for (var length = header.Length; length <= frame.Length; length++)
        {
            Assert.Equal(FrameHeaderStatus.Complete, Read(frame[..length], endOfMessage: false, out var whole, out var consumed, out _));
            Assert.Equal("/live/seg-1.ts", whole!.FilePath);
            Assert.Equal(header.Length, consumed);
        }
    }

    [Theory]
    [InlineData("{\"L\":\"\\udfff\"}")] // what afl++ found: an unknown key, kept as sent, threw when written again
    [InlineData("{\"FILE_PATH\":\"/a\",\"X\":[{\"Y\":\"a\\ud800b\"}]}")]
    public void Header_with_an_escaped_lone_surrogate_in_an_unknown_key_is_a_bad_frame(string json)
    {
        var frame = Bytes("<Dandelion>" + json + "</Dandelion>data");

        Assert.Equal(FrameHeaderStatus.Invalid, Read(frame, endOfMessage: true, out var header, out var consumed, out var error));
        Assert.Null(header);
        Assert.Equal(0, consumed);
        Assert.Equal(ProtocolErrorCodes.BadFrame, error!.Code);
        Assert.Contains("lone surrogate", error.Message);
    }

    [Fact]
    public void Header_cut_short_asks_for_more_until_the_message_ends()
    {
        var frame = Bytes("<Dandelion>{\"FILE_PATH\":\"/a\"");

        Assert.Equal(FrameHeaderStatus.NeedMoreData, Read(frame, endOfMessage: false, out _, out _, out _, 1024));
        Assert.Equal(FrameHeaderStatus.Invalid, Read(frame, endOfMessage: true, out _, out _, out var error, 1024));
        Assert.Equal(ProtocolErrorCodes.BadFrame, error!.Code);
    }

    [Theory]
    // Nothing yet, and the first bytes of the open tag: wait.
    [InlineData("", false, FrameHeaderStatus.NeedMoreData)]
    [InlineData("<", false, FrameHeaderStatus.NeedMoreData)]
    [InlineData("<Dandel", false, FrameHeaderStatus.NeedMoreData)]
    [InlineData("<Dandelion", false, FrameHeaderStatus.NeedMoreData)]
    // The same, but the message is over: it never became a header.
    [InlineData("", true, FrameHeaderStatus.Invalid)]
    [InlineData("<Dandel", true, FrameHeaderStatus.Invalid)]
    // A wrong byte inside the open tag is wrong at once, however short the buffer.
    [InlineData("x", false, FrameHeaderStatus.Invalid)]
    [InlineData("<Dax", false, FrameHeaderStatus.Invalid)]
    [InlineData("<dandelion>{}</dandelion>", false, FrameHeaderStatus.Invalid)]
    // No open tag: the file bytes alone, or JSON alone.
    [InlineData("\u0047\u0045\u0054 / HTTP/1.1", false, FrameHeaderStatus.Invalid)]
    [InlineData("{\"FILE_PATH\":\"/a\"}", false, FrameHeaderStatus.Invalid)]
    // White space before the open tag is not a frame.
    [InlineData(" <Dandelion>{}</Dandelion>", false, FrameHeaderStatus.Invalid)]
    // The closing tag partly there: wait.
    [InlineData("<Dandelion>{}</Dande", false, FrameHeaderStatus.NeedMoreData)]
    // The closing tag partly there and the message over.
    [InlineData("<Dandelion>{}</Dande", true, FrameHeaderStatus.Invalid)]
    // A header that is not a JSON object: an array, a string, garbage, nothing, null.
    [InlineData("<Dandelion>[]</Dandelion>", true, FrameHeaderStatus.Invalid)]
    [InlineData("<Dandelion>\"/a\"</Dandelion>", true, FrameHeaderStatus.Invalid)]
    [InlineData("<Dandelion>FILE_PATH=/a</Dandelion>", true, FrameHeaderStatus.Invalid)]
    [InlineData("<Dandelion></Dandelion>", true, FrameHeaderStatus.Invalid)]
    [InlineData("<Dandelion>null</Dandelion>", true, FrameHeaderStatus.Invalid)]
    // A truncated object closed by the tag.
    [InlineData("<Dandelion>{\"FILE_PATH\":</Dandelion>", true, FrameHeaderStatus.Invalid)]
    // A value of the wrong shape.
    [InlineData("<Dandelion>{\"FILE_PATH\":\"/a\",\"SIZE\":\"big\"}</Dandelion>", true, FrameHeaderStatus.Invalid)]
    // A key twice.
    [InlineData("<Dandelion>{\"FILE_PATH\":\"/a\",\"FILE_PATH\":\"/b\"}</Dandelion>", true, FrameHeaderStatus.Invalid)]
    // Two opening tags: the second is not JSON.
    [InlineData("<Dandelion><Dandelion>{}</Dandelion>", true, FrameHeaderStatus.Invalid)]
    // An empty object is a header (the box refuses the missing FILE_PATH, with a reason).
    [InlineData("<Dandelion>{}</Dandelion>", true, FrameHeaderStatus.Complete)]
    // White space around the JSON is JSON.
    [InlineData("<Dandelion> {\"FILE_PATH\": \"/a\"} </Dandelion>", true, FrameHeaderStatus.Complete)]
    public void Frame_start_gives_the_right_status(string text, bool endOfMessage, FrameHeaderStatus expected)
    {
        var status = Read(Bytes(text), endOfMessage, out var header, out _, out var error);

        Assert.Equal(expected, status);
        if (expected == FrameHeaderStatus.Invalid)
        {
            Assert.Equal(ProtocolErrorCodes.BadFrame, error!.Code);
            Assert.Null(header);
        }
        else
        {
            Assert.Null(error);
        }
    }

    [Fact]
    public void Invalid_utf8_in_the_header_is_a_bad_frame()
    {
        var frame = Bytes("<Dandelion>{\"FILE_PATH\":\"/").Concat(new byte[] { 0xFF, 0xFE }).Concat(Bytes("\"}</Dandelion>")).ToArray();

        Assert.Equal(FrameHeaderStatus.Invalid, Read(frame, true, out _, out _, out var error));
        Assert.Equal(ProtocolErrorCodes.BadFrame, error!.Code);
    }

    [Fact]
    public void No_closing_tag_within_the_header_limit_is_invalid_before_the_message_ends()
    {
        const int max = 64;
        // Room for max header bytes and the closing tag, minus one: the tag could still come.
        var almost = Bytes("<Dandelion>" + new string(' ', max + FileFrame.CloseTag.Length - 1));
        var full = Bytes("<Dandelion>" + new string(' ', max + FileFrame.CloseTag.Length));

        Assert.Equal(FrameHeaderStatus.NeedMoreData, Read(almost, endOfMessage: false, out _, out _, out _, max));
        Assert.Equal(FrameHeaderStatus.Invalid, Read(full, endOfMessage: false, out _, out _, out var error, max));
        Assert.Equal(ProtocolErrorCodes.BadFrame, error!.Code);
    }

    [Fact]
    public void Header_of_exactly_the_limit_is_read_and_one_byte_more_is_not()
    {
        const int max = 64;
        var json = "{\"FILE_PATH\":\"/" + new string('a', max - 18) + "\"}";
        Assert.Equal(max - 1, json.Length);
        var atLimit = Bytes($"<Dandelion>{json} </Dandelion>");
        var overLimit = Bytes($"<Dandelion>{json}  </Dandelion>");

        Assert.Equal(FrameHeaderStatus.Complete, Read(atLimit, false, out _, out var consumed, out _, max));
        Assert.Equal(atLimit.Length, consumed);
        Assert.Equal(FrameHeaderStatus.Invalid, Read(overLimit, false, out _, out _, out var error, max));
        Assert.Equal(ProtocolErrorCodes.BadFrame, error!.Code);
    }

    [Fact]
    public void A_limit_of_int32_max_still_waits_for_the_rest_of_the_header()
    {
        var partial = Bytes("<Dandelion>{\"FILE_PATH\":");

        Assert.Equal(FrameHeaderStatus.NeedMoreData, Read(partial, false, out _, out _, out var error, int.MaxValue));
        Assert.Null(error);
    }

    [Fact]
    public void A_negative_limit_is_a_programming_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Read(Bytes("<Dandelion>{}</Dandelion>"), true, out _, out _, out _, -1));
    }

    [Fact]
    public void Empty_file_body_is_a_complete_frame()
    {
        var frame = FileFrame.EncodeHeader(new FileHeader { FilePath = "/empty", Ttl = "0", Size = 0 });

        Assert.Equal(FrameHeaderStatus.Complete, Read(frame, endOfMessage: true, out var header, out var consumed, out _));

        Assert.Equal(frame.Length, consumed);
        Assert.Equal(0, header!.Size);
    }

    [Fact]
    public void Closing_tag_inside_the_file_bytes_does_not_move_the_end_of_the_header()
    {
        var header = FileFrame.EncodeHeader(new FileHeader { FilePath = "/page.html", Ttl = "60" });
        var body = Bytes("<html></Dandelion><Dandelion>{\"FILE_PATH\":\"/evil\"}</Dandelion></html>");
        var frame = header.Concat(body).ToArray();

        Assert.Equal(FrameHeaderStatus.Complete, Read(frame, true, out var read, out var consumed, out _));

        Assert.Equal("/page.html", read!.FilePath);
        Assert.Equal(body, frame[consumed..]);
    }

    [Fact]
    public void Closing_tag_inside_a_header_value_is_escaped_by_the_writer_and_read_back()
    {
        var header = new FileHeader { FilePath = "/a</Dandelion>b.ts", Ttl = "60" };
        var frame = FileFrame.EncodeHeader(header).Concat(Bytes("BODY")).ToArray();

        Assert.Equal(FrameHeaderStatus.Complete, Read(frame, true, out var read, out var consumed, out _));

        Assert.Equal("/a</Dandelion>b.ts", read!.FilePath);
        Assert.Equal("BODY", Encoding.UTF8.GetString(frame, consumed, frame.Length - consumed));
    }

    [Theory]
    // Accents, CJK, an emoji (a surrogate pair), spaces.
    [InlineData("/vidéos/été/seg-1.ts")]
    [InlineData("/直播/频道一/片段-1.ts")]
    [InlineData("/live/🌼 dandelion/seg 1.ts")]
    public void Non_ascii_paths_round_trip(string path)
    {
        var frame = FileFrame.EncodeHeader(new FileHeader { FilePath = path, Ttl = "60" });

        Assert.Equal(FrameHeaderStatus.Complete, Read(frame, true, out var header, out _, out _));
        Assert.Equal(path, header!.FilePath);
    }

    [Fact]
    public void Non_ascii_path_written_raw_by_python_is_read()
    {
        // json.dumps(ensure_ascii=False) writes UTF-8 as is.
        var frame = Bytes("<Dandelion>{\"FILE_PATH\": \"/vidéos/直播.ts\", \"TTL\": 60}</Dandelion>");

        Assert.Equal(FrameHeaderStatus.Complete, Read(frame, true, out var header, out _, out _));
        Assert.Equal("/vidéos/直播.ts", header!.FilePath);
    }

    [Fact]
    public void Extra_header_fields_land_in_extra_and_are_written_back()
    {
        var frame = Bytes("<Dandelion>{\"FILE_PATH\":\"/a\",\"TTL\":5,\"STREAM\":\"cam-1\",\"BITRATE\":2500,\"TAGS\":[\"hd\"]}</Dandelion>");

        Assert.Equal(FrameHeaderStatus.Complete, Read(frame, true, out var header, out _, out _));

        Assert.Equal(["BITRATE", "STREAM", "TAGS"], header!.Extra!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("cam-1", header.Extra["STREAM"].GetString());
        Assert.Equal(2500, header.Extra["BITRATE"].GetInt32());
        Assert.Equal(JsonValueKind.Array, header.Extra["TAGS"].ValueKind);
        Assert.Contains("\"STREAM\":\"cam-1\"", Encoding.UTF8.GetString(FileFrame.EncodeHeader(header)));
    }

    [Fact]
    public void Bad_frame_errors_never_quote_the_header()
    {
        var frame = Bytes("<Dandelion>{\"FILE_PATH\":\"MARKER\",\"SIZE\":\"MARKER\"}</Dandelion>");

        Assert.Equal(FrameHeaderStatus.Invalid, Read(frame, true, out _, out _, out var error));

        Assert.DoesNotContain("MARKER", error!.Message);
    }
}
