namespace Dandelion.Publisher.Tests;

/// <summary>The player page at <c>/</c> and the hls.js copy scripts/setup.sh vendors beside it.</summary>
public sealed class PlayerPageTests : IAsyncLifetime
{
    private PublisherHost _publisher = null!;

    public async Task InitializeAsync() => _publisher = await PublisherHost.StartAsync([]);

    public async Task DisposeAsync() => await _publisher.DisposeAsync();

    [Fact]
    public async Task The_page_its_script_and_the_vendored_hls_js_are_served_from_this_origin()
    {
        using var page = await _publisher.Viewer.GetAsync("/");
        page.EnsureSuccessStatusCode();
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        // Never a CDN: both scripts are relative to the page.
        Assert.Contains("<script src=\"vendor/hls.min.js\"></script>", html);
        Assert.Contains("<script src=\"player.js\"></script>", html);
        Assert.DoesNotContain("https://", html);

        using var player = await _publisher.Viewer.GetAsync("/player.js");
        Assert.Contains("window.dandelionStats", await player.Content.ReadAsStringAsync());
        using var hls = await _publisher.Viewer.GetAsync("/vendor/hls.min.js");
        Assert.True(hls.IsSuccessStatusCode, "vendor/hls.min.js is missing: run scripts/setup.sh.");
        Assert.True((await hls.Content.ReadAsByteArrayAsync()).Length > 100_000);
    }
}
