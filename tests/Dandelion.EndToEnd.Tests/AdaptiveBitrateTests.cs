using System.Globalization;
using System.Text.Json;
using Dandelion.LocalNetwork;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Dandelion.EndToEnd.Tests;

/// <summary>
/// Adaptive bitrate as <c>./scripts/run-local.sh</c> streams it: ffmpeg's master playlist with three
/// renditions, each rendition's segments placed on boxes and redirected like any. The player shows
/// the rendition playing; throttled (Chromium's network emulation over CDP) it switches down, and
/// back up once the throttle is lifted.
/// </summary>
public sealed class AdaptiveBitrateTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(3);
    /// <summary>Below the middle rendition (510 kbit/s with audio), above the lowest (235).</summary>
    private const int ThrottledBytesPerSecond = 40_000;

    [Fact]
    public async Task The_player_plays_every_rendition_from_boxes_and_switches_down_when_throttled_and_up_again()
    {
        var run = Directory.CreateTempSubdirectory("dandelion-abr-").FullName;
        var network = await Network.StartAsync(new LocalNetworkOptions { RunDirectory = run, Renditions = 3 });
        try
        {
            await network.WaitUntilStreamingAsync(Generous, segments: 6);
            await using var browser = await HeadlessChromium.LaunchAsync();
            var page = await browser.Context.NewPageAsync();
            var player = new PlayerPage(page);
            await page.GotoAsync(network.PlayerUrl.ToString());
            await Eventually.Until(async () => (await player.VideoAsync()).Ct > 0 && await LevelAsync(page) is not null, "the player to start playing", Generous);
            Assert.Equal(3, await page.EvaluateAsync<int>("() => window.dandelionHls.levels.length"));

            // hls.js orders the levels by bitrate, lowest first. Unthrottled on loopback: up to the best.
            await Eventually.Until(async () => await LevelAsync(page) == 2, "the player to play the best rendition", Generous);

            var cdp = await browser.Context.NewCDPSessionAsync(page);
            await cdp.SendAsync("Network.enable");
            await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
            {
                ["offline"] = false,
                ["latency"] = 20,
                ["downloadThroughput"] = ThrottledBytesPerSecond,
                ["uploadThroughput"] = ThrottledBytesPerSecond,
            });
            var throttledAt = await player.NowAsync();
            await Eventually.Until(async () => await LevelAsync(page) == 0, "the player to switch down to the lowest rendition", Generous);
            Assert.Equal("144p", (await page.Locator("#level").TextContentAsync())![..4]);

            await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
            {
                ["offline"] = false, ["latency"] = 0, ["downloadThroughput"] = -1, ["uploadThroughput"] = -1,
            });
            var liftedAt = await player.NowAsync();
            await Eventually.Until(async () => await LevelAsync(page) is > 0, "the player to switch up again", Generous);

            var stats = await player.StatsAsync();
            var switches = await page.EvaluateAsync<JsonElement>("() => window.dandelionStats.levelSwitches");
            output.WriteLine("switches: " + string.Join(", ", switches.EnumerateArray().Select(s =>
                string.Create(CultureInfo.InvariantCulture, $"{s.GetProperty("height").GetInt32()}p at {s.GetProperty("at").GetDouble():0}"))) +
                string.Create(CultureInfo.InvariantCulture, $"; throttled at {throttledAt:0}, lifted at {liftedAt:0}; {stats.Log.Count} segments"));
            // Every rendition's segments come from boxes through /media/'s redirect.
            Assert.Contains(stats.Log, s => s.ServedBy == "box" && s.Name.StartsWith($"{network.StreamName}_0-", StringComparison.Ordinal));
            Assert.Contains(stats.Log, s => s.ServedBy == "box" && s.Name.StartsWith($"{network.StreamName}_2-", StringComparison.Ordinal));
            Assert.Empty(stats.FatalErrors);
            // The publisher counts every rendition for the stream the viewer asked for.
            var figures = await network.StreamFiguresAsync();
            Assert.True(figures.RedirectRequests > 0, "The publisher counted no redirect for the stream.");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new Xunit.Sdk.XunitException($"{ex.Message}\n\nRun directory (kept): {run}\n{network.Tails()}", ex);
        }
        finally
        {
            // Stopped first: ffmpeg writes into the run directory until then.
            await network.DisposeAsync();
        }
        Directory.Delete(run, recursive: true);
    }

    private static async Task<int?> LevelAsync(IPage page)
    {
        var level = await page.EvaluateAsync<JsonElement>("() => window.dandelionStats.level");
        return level.ValueKind == JsonValueKind.Object ? level.GetProperty("index").GetInt32() : null;
    }
}
