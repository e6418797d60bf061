using System.Net;
using System.Net.Http.Json;
using Dandelion.Publisher.Placement;
using Dandelion.Publisher.Telemetry;

namespace Dandelion.Publisher.Tests.RealNodes;

/// <summary>
/// Offload in delivered bytes with a real entrance, a real Redis and real boxes, each in its own
/// process: box bytes are what boxes' access logs say they served (handed back in SEARCH), so a
/// redirect whose box fetch failed counts nothing and the retry that worked counts once.
/// </summary>
public sealed class DeliveredBytesTests : IAsyncLifetime
{
    private Cluster _cluster = null!;
    private PublisherHost _publisher = null!;

    public async Task InitializeAsync()
    {
        _cluster = await Cluster.StartAsync(boxes: 2);
        _publisher = await _cluster.StartPublisherAsync();
    }

    public async Task DisposeAsync()
    {
        await _publisher.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task A_failed_box_fetch_counts_no_box_bytes_and_its_retry_counts_once()
    {
        const int size = 300_000;
        const int markerSize = 70_000;
        foreach (var (name, bytes) in new[] { ("delivered/a.bin", size), ("delivered/marker.bin", markerSize) })
        {
            var path = _publisher.WriteFile(name, bytes);
            await _publisher.Publisher.PublishAsync(path, TimeSpan.FromSeconds(300), default);
            await Eventually.Until(async () => await _publisher.StatusAsync("/pub/" + name) is { Holders.Count: 2 } s && s.Holders.All(h => h.Confirmed),
                $"{name} on both boxes");
        }

        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _publisher.Viewer.BaseAddress };
        using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        // The viewer is sent to a box that is gone by the time it asks: the fetch fails.
        using (var first = await noRedirects.GetAsync("media/pub/delivered/a.bin"))
        {
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
            var victim = _cluster.Boxes.Single(b => first.Headers.Location!.ToString().StartsWith(b.HttpUrl, StringComparison.Ordinal));
            await victim.Process.KillAsync();
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetByteArrayAsync(first.Headers.Location));
        }

        // It asks again, as a player does, until a box or the origin gives it the bytes.
        var fromBoxes = 0L;
        var boxFetches = 0;
        var failed = 1;
        foreach (var (name, bytes) in new[] { ("delivered/a.bin", size), ("delivered/marker.bin", markerSize) })
        {
            await Eventually.Until(async () =>
            {
                using var again = await noRedirects.GetAsync("media/pub/" + name);
                if (again.StatusCode == HttpStatusCode.OK)
                    return (await again.Content.ReadAsByteArrayAsync()).Length == bytes;
                try
                {
                    Assert.Equal(bytes, (await plain.GetByteArrayAsync(again.Headers.Location)).Length);
                    fromBoxes += bytes;
                    boxFetches++;
                    return true;
                }
                catch (HttpRequestException)
                {
                    failed++;
                    return false;
                }
            }, $"{name} fetched");
        }

        // The marker was asked for after a.bin: once its bytes are counted, a.bin's are too.
        var stats = await Eventually.Until(async () =>
            (await _publisher.Viewer.GetFromJsonAsync<Dictionary<string, StreamStats>>("api/stats"))!.GetValueOrDefault(OffloadStats.OtherFiles)
                is { } s && s.BoxBytes >= fromBoxes ? s : null, "the boxes' reports to reach the publisher");
        await Task.Delay(TimeSpan.FromSeconds(3)); // a few more heartbeats and SEARCHes: nothing more may arrive
        stats = (await _publisher.Viewer.GetFromJsonAsync<Dictionary<string, StreamStats>>("api/stats"))![OffloadStats.OtherFiles];

        Assert.Equal(fromBoxes, stats.BoxBytes);
        Assert.Equal(boxFetches, stats.BoxRequests);
        Assert.Equal(size + markerSize - fromBoxes, stats.OriginBytes);
        Assert.Equal(boxFetches + failed, stats.RedirectRequests);
        Assert.True(stats.RedirectBytes >= fromBoxes + size, $"redirects {stats.RedirectBytes} should count the failed fetch too");
        Assert.NotNull(stats.Disagreement);
    }
}
