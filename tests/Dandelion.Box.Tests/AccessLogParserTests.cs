using Dandelion.Box.Traffic;

namespace Dandelion.Box.Tests;

public sealed class AccessLogParserTests
{
    [Fact]
    public void Reads_combined()
    {
        Assert.True(AccessLogParser.TryParse(
            "203.0.113.9 - - [27/Sep/2017:03:20:10 +0000] \"GET /publisher-0123456789abcdef0123456789abcdef/live/seg-1.ts HTTP/1.1\" 200 1234 \"-\" \"Mozilla/5.0 (X11)\"",
            out var request));
        Assert.Equal(new ServedRequest("/publisher-0123456789abcdef0123456789abcdef/live/seg-1.ts", 200, 1234, "27/Sep/2017:03:20:10 +0000"), request);
    }

    [Fact]
    public void Reads_common_and_a_dash_for_no_body()
    {
        Assert.True(AccessLogParser.TryParse("::1 - alice [01/Jan/2026:00:00:00 +0100] \"HEAD /p/x.ts HTTP/1.1\" 304 -", out var request));
        Assert.Equal(new ServedRequest("/p/x.ts", 304, 0, "01/Jan/2026:00:00:00 +0100"), request);
    }

    [Fact]
    public void Reads_combined_with_extra_fields_after_it() =>
        Assert.True(AccessLogParser.TryParse("1.2.3.4 - - [01/Jan/2026:00:00:00 +0000] \"GET /a HTTP/1.1\" 206 10 \"-\" \"curl\" 0.001 \"-\"", out _));

    [Fact]
    public void Reads_the_originals_format()
    {
        Assert.True(AccessLogParser.TryParse("\"GET /publisher-x/seg.ts HTTP/1.1\"-200-5120", out var request));
        Assert.Equal(new ServedRequest("/publisher-x/seg.ts", 200, 5120, null), request);
    }

    [Fact]
    public void Keeps_a_garbled_request_line_whole()
    {
        Assert.True(AccessLogParser.TryParse("1.2.3.4 - - [01/Jan/2026:00:00:00 +0000] \"\\x16\\x03\\x01\" 400 150 \"-\" \"-\"", out var request));
        Assert.Equal(400, request!.Status);
        Assert.Equal("\\x16\\x03\\x01", request.Url);
    }

    [Theory]
    [InlineData("")]                                                        // empty
    [InlineData("hello world")]                                             // no format
    [InlineData("\"GET / HTTP/1.1\"-200-")]                                 // original without size
    [InlineData("\"GET / HTTP/1.1\"-2000-1")]                               // four-digit status
    [InlineData("1.2.3.4 - - [01/Jan/2026:00:00:00 +0000] \"GET / HTTP/1.1\" abc 1")] // status not a number
    [InlineData("1.2.3.4 - - 01/Jan/2026:00:00:00 \"GET / HTTP/1.1\" 200 1")] // no brackets round the time
    public void Refuses_other_lines(string line) => Assert.False(AccessLogParser.TryParse(line, out _));
}
