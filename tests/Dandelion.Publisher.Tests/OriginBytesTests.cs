using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Dandelion.Publisher.Telemetry;

namespace Dandelion.Publisher.Tests;

/// <summary>The origin counts the bytes it sent over a real socket, not the sizes of the files asked for.</summary>
public sealed class OriginBytesTests : IAsyncLifetime
{
    private const int BigSize = 48_000_000;
    private PublisherHost _publisher = null!;

    public async Task InitializeAsync()
    {
        _publisher = await PublisherHost.StartAsync([]);
        _publisher.WriteFile("small.bin", 5000);
        _publisher.WriteFile("big.bin", BigSize);
    }

    public async Task DisposeAsync() => await _publisher.DisposeAsync();

    [Fact]
    public async Task A_range_a_head_and_a_viewer_who_leaves_mid_file_count_what_was_sent()
    {
        using (var whole = await _publisher.Viewer.GetAsync("media/pub/small.bin"))
            Assert.Equal(5000, (await whole.Content.ReadAsByteArrayAsync()).Length);
        var afterWhole = await FilesAsync();
        Assert.Equal((1, 5000), (afterWhole.OriginRequests, afterWhole.OriginBytes));

        using (var range = new HttpRequestMessage(HttpMethod.Get, "media/pub/small.bin") { Headers = { Range = new RangeHeaderValue(100, 1099) } })
        using (var partial = await _publisher.Viewer.SendAsync(range))
        {
            Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
            Assert.Equal(1000, (await partial.Content.ReadAsByteArrayAsync()).Length);
        }
        using (var head = await _publisher.Viewer.SendAsync(new HttpRequestMessage(HttpMethod.Head, "media/pub/small.bin")))
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        var afterRange = await FilesAsync();
        Assert.Equal((3, 6000), (afterRange.OriginRequests, afterRange.OriginBytes));

        // A viewer reads the first 64 KiB of a 48 MB file and leaves: the count stops near what the
        // socket took, far below the file's size.
        using (var client = new HttpClient { BaseAddress = _publisher.Viewer.BaseAddress })
        using (var response = await client.GetAsync("media/pub/big.bin", HttpCompletionOption.ResponseHeadersRead))
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[64 * 1024];
            await body.ReadExactlyAsync(buffer);
        }
        long settled = -1;
        await Eventually.Until(async () =>
        {
            var now = (await FilesAsync()).OriginBytes;
            var still = now == settled;
            settled = now;
            await Task.Delay(500);
            return still;
        }, "the origin's count to settle after the viewer left");
        Assert.InRange(settled - 6000, 64 * 1024, BigSize / 2);
        var left = await FilesAsync();
        Assert.Equal(4, left.OriginRequests);
        Assert.Equal(0, left.BoxBytes);
    }

    private async Task<StreamStats> FilesAsync() =>
        (await _publisher.Viewer.GetFromJsonAsync<Dictionary<string, StreamStats>>("api/stats"))![OffloadStats.OtherFiles];
}
