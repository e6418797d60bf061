using System.Globalization;
using System.Text.Json;
using Dandelion.LocalNetwork;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Dandelion.EndToEnd.Tests;

/// <summary>
/// The network as <c>./scripts/run-local.sh</c> starts it, judged by a real browser: the player
/// page plays the live stream from boxes, and keeps playing when one box is SIGKILLed. The
/// dashboard shows every live box on its map with why it gets its traffic, has points in its
/// charts, lists the killed box as crashed and a frozen (SIGSTOP) one as expired, then as
/// returned. Screenshots go to <c>artifacts/screenshots/</c>; the dashboard's and the player's
/// also to <c>docs/screenshots/</c>, refreshed by each passing run.
/// </summary>
public sealed class PlaybackTests(ITestOutputHelper output)
{
    /// <summary>Segments loaded before the box share is counted: the first ones may precede placement.</summary>
    private const int WarmUpSegments = 3;
    private static readonly TimeSpan PlayBeforeKill = TimeSpan.FromSeconds(16);
    private static readonly TimeSpan PlayAfterKill = TimeSpan.FromSeconds(24);
    /// <summary>Waits for things a loaded 2-core machine may be slow at; never asserted as a duration.</summary>
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(3);

    private static readonly string Screenshots = Path.Combine(new LocalNetworkOptions().RepositoryRoot, "artifacts", "screenshots");
    private static readonly string Documented = Path.Combine(new LocalNetworkOptions().RepositoryRoot, "docs", "screenshots");

    [Fact]
    public async Task The_player_plays_from_boxes_and_rides_out_a_box_killed_mid_stream()
    {
        var run = Directory.CreateTempSubdirectory("dandelion-e2e-").FullName;
        Directory.CreateDirectory(Screenshots);
        var options = new LocalNetworkOptions { RunDirectory = run };
        var passed = false;
        List<int> children;
        await using (var network = await Network.StartAsync(options))
        {
            children = [network.Redis.Id, network.Entrance.Id, network.Publisher.Id, network.Ffmpeg.Id, .. network.Boxes.Select(b => b.Process.Id)];
            IPage? playerPage = null;
            try
            {
                await network.WaitUntilStreamingAsync(Generous, segments: WarmUpSegments);
                await using var browser = await HeadlessChromium.LaunchAsync();
                playerPage = await browser.Context.NewPageAsync();
                await PlayAndKillAsync(network, browser, new PlayerPage(playerPage));
                passed = true;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                if (playerPage is not null)
                    await TryScreenshotAsync(playerPage, "player-failure.png");
                throw new Xunit.Sdk.XunitException($"{ex.Message}\n\nRun directory (kept): {run}\n{network.Tails()}", ex);
            }
        }
        // Stopped as Ctrl-C stops ./scripts/run-local.sh: nothing it started is left running.
        Assert.All(children, pid => Assert.False(Directory.Exists($"/proc/{pid}"), $"Process {pid} outlived the network."));
        if (passed)
            Directory.Delete(run, recursive: true);
    }

    private async Task PlayAndKillAsync(Network network, HeadlessChromium browser, PlayerPage player)
    {
        // The dashboard, in a second tab, opened first: its start (map data, charts) is not the player's problem.
        var dashboard = new DashboardPage(await browser.Context.NewPageAsync());
        await dashboard.Page.GotoAsync(network.DashboardUrl.ToString());
        await AssertDashboardShowsEveryBoxAsync(network, dashboard);

        await player.Page.BringToFrontAsync();
        // Segment loads only: the page's own files (hls.js, /boxes) are not the stream.
        var failed = new FailedLoads(player.Page, url => url.Contains("/media/", StringComparison.Ordinal) || network.Boxes.Any(b => url.Contains(b.HttpHost, StringComparison.Ordinal)));
        await player.Page.GotoAsync(network.PlayerUrl.ToString());
        Assert.True(await player.PlaysH264Async(), "This chromium cannot play H.264 + AAC through Media Source Extensions.");

        // Playing: time moves and a few segments are in.
        await Eventually.Until(async () => (await player.VideoAsync()).Ct > 0 && (await player.StatsAsync()).Segments >= WarmUpSegments,
            "the player to start playing", Generous);
        await player.StartSamplingAsync();
        var warmedUpAt = await player.NowAsync();

        var remainingBeforeKill = PlayBeforeKill - TimeSpan.FromMilliseconds(await player.NowAsync() - warmedUpAt);
        if (remainingBeforeKill > TimeSpan.Zero)
            await Task.Delay(remainingBeforeKill);
        await player.Page.BringToFrontAsync();
        await player.Page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "player-playing.png") });
        Directory.CreateDirectory(Documented);
        File.Copy(Path.Combine(Screenshots, "player-playing.png"), Path.Combine(Documented, "player.png"), overwrite: true);

        // Kill the box that served the latest segment: the next requests for what it held must go elsewhere.
        var beforeKill = await player.StatsAsync();
        var victimHost = beforeKill.Log.Last(s => s.ServedBy == "box").Host;
        var victim = network.Boxes.Single(b => b.HttpHost == victimHost);
        var killedAt = DateTimeOffset.UtcNow;
        var killedAtPage = await player.NowAsync();
        await victim.Process.KillAsync();

        // The dashboard shows the box gone: crashed (its connection dropped without a close frame).
        await Eventually.Until(async () =>
                await dashboard.Page.Locator($"#gone tr[data-box-id='{victim.Id}']").CountAsync() == 1 &&
                await dashboard.Page.Locator($"#boxes tr[data-box-id='{victim.Id}']").CountAsync() == 0 &&
                // "Boxes live" counts the registry's unexpired entries: a lost box stays counted until its expiry.
                await dashboard.Page.Locator("#boxes-live").TextContentAsync() == (network.Boxes.Count - 1).ToString(CultureInfo.InvariantCulture),
            $"the dashboard to show {victim.Name} ({victim.Id}) gone", Generous);
        Assert.True(await dashboard.ListsGoneAsync(victim, "lost"), $"{victim.Name} is not listed as lost: {await dashboard.GoneTextAsync(victim)}");
        Assert.Contains("crashed", await dashboard.GoneTextAsync(victim));
        var gone = (await dashboard.Page.EvaluateAsync<JsonElement>("() => window.dandelionNetwork.gone"))
            .EnumerateArray().First(g => g.GetProperty("ID").GetString() == victim.Id);
        var goneAt = DateTimeOffset.FromUnixTimeMilliseconds(gone.GetProperty("AT").GetInt64());
        // The entrance's own record of when it dropped the box (closed socket, or expiry then sweep).
        var allowed = network.Expiry + network.Heartbeat + TimeSpan.FromSeconds(1);
        Assert.True(goneAt - killedAt <= allowed,
            $"The entrance recorded {victim.Id} gone {(goneAt - killedAt).TotalSeconds:0.0} s after the kill; expiry + sweep allows {allowed.TotalSeconds:0.0} s.");
        Assert.Equal((network.Boxes.Count - 1).ToString(CultureInfo.InvariantCulture), await dashboard.Page.Locator("#boxes-live").TextContentAsync());
        await dashboard.Page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "dashboard.png"), FullPage = true });

        // Keep playing well past the kill: every segment the killed box held is asked for again.
        var remaining = PlayAfterKill - TimeSpan.FromMilliseconds(await player.NowAsync() - killedAtPage);
        if (remaining > TimeSpan.Zero)
            await Task.Delay(remaining);
        await player.Page.BringToFrontAsync();
        await player.Page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "player-after-kill.png") });

        // Read the publisher before and after the page, so the page's figures fall between them.
        var publisherBefore = await network.StreamFiguresAsync();
        var stats = await player.StatsAsync();
        var publisherAfter = await network.StreamFiguresAsync();
        var samples = await player.SamplesAsync();

        var counted = stats.Log.Where(s => s.At > warmedUpAt).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"killed {victim.Name} ({victimHost}); entrance recorded it {gone.GetProperty("REASON").GetString()} {(goneAt - killedAt).TotalSeconds:0.00} s later; " +
            $"longest still {PlayerPage.LongestStill(samples).Milliseconds:0} ms over {samples.Count} samples; " +
            $"{counted.Count} segments after warm-up, {counted.Where(s => s.ServedBy == "box").Sum(s => s.Bytes)} of {counted.Sum(s => s.Bytes)} bytes from boxes; " +
            $"page {stats.BoxSegments} box / {stats.OriginSegments} origin segments, {stats.FailedLoads} failed loads; " +
            $"publisher {publisherAfter.RedirectRequests} redirects / {publisherAfter.OriginRequests} origin requests; browser: {failed}"));
        AssertPlayedWithoutStall(samples, killedAtPage, $"The page counted {stats.FailedLoads} failed segment loads; the browser saw {failed}");
        Assert.Empty(stats.FatalErrors);
        Assert.Contains(stats.Log, s => s.ServedBy == "box" && s.At > killedAtPage && s.Host != victimHost);
        AssertBoxesServedTheBytes(stats, warmedUpAt);
        AssertCountersMatchThePublisher(stats, publisherBefore, publisherAfter);
        AssertThePlayerNamesTheBoxes(network, stats);

        // Last, as it may hold viewers up: a box frozen (SIGSTOP) is expired once silent past the expiry,
        // and marked returned once thawed and heard from again.
        var frozen = network.Boxes.First(b => b != victim && !b.Process.HasExited);
        frozen.Process.Freeze();
        try
        {
            await Eventually.Until(() => dashboard.ListsGoneAsync(frozen, "expired"), $"the dashboard to list {frozen.Name} as expired", Generous);
            Assert.Contains("expired", await dashboard.GoneTextAsync(frozen));
        }
        finally
        {
            frozen.Process.Thaw();
        }
        await Eventually.Until(async () => await dashboard.MarksReturnedAsync(frozen) && await dashboard.ListsAsync(frozen),
            $"the dashboard to mark {frozen.Name} returned", Generous);
        await dashboard.Page.BringToFrontAsync();
        await dashboard.Page.ScreenshotAsync(new() { Path = Path.Combine(Documented, "dashboard.png"), FullPage = true });
    }

    /// <summary>The map shows every live box, each box's row has its name and why it gets its traffic, the charts have points.</summary>
    private static async Task AssertDashboardShowsEveryBoxAsync(Network network, DashboardPage dashboard)
    {
        foreach (var box in network.Boxes)
        {
            await Eventually.Until(async () => await dashboard.ShowsOnTheMapAsync(box) && await dashboard.ListsAsync(box),
                $"{box.Name} on the dashboard's map", Generous);
            var (name, why) = await dashboard.RowAsync(box);
            Assert.StartsWith(box.Name, name, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(why), $"{box.Name} has no traffic explanation.");
        }
        await Eventually.Until(async () => await dashboard.ChartPointsAsync() > 0, "points in the dashboard's charts", Generous);
    }

    /// <summary>The page names each box as run-local does (once it has the names): never a wrong name.</summary>
    private static void AssertThePlayerNamesTheBoxes(Network network, PlayerStats stats)
    {
        var named = stats.Log.Where(s => s.ServedBy == "box" && s.BoxName is not null).ToList();
        Assert.NotEmpty(named);
        Assert.All(named, s => Assert.Equal(network.Boxes.Single(b => b.HttpHost == s.Host).Name, s.BoxName));
    }

    /// <summary>Playing all along: no error, time advancing, and never standing still over a second.</summary>
    /// <param name="failures">Every failed segment load, for the failure message.</param>
    private static void AssertPlayedWithoutStall(IReadOnlyList<PlaybackSample> samples, double killedAtPage, string failures)
    {
        Assert.True(samples.Count > 100, $"Only {samples.Count} samples of the video were taken.");
        Assert.Contains(samples, s => s.T > killedAtPage + 10_000);
        Assert.All(samples, s => Assert.Equal(0, s.Error));
        var first = samples[0];
        var last = samples[^1];
        var played = last.Ct - first.Ct;
        var elapsed = (last.T - first.T) / 1000;
        // Time advances: at least half as fast as the page's clock (a live player may slow down
        // or speed up a little to hold its distance to the live edge).
        Assert.True(played >= elapsed / 2, $"currentTime advanced {played:0.0} s in {elapsed:0.0} s of the page's clock. {failures}");
        Assert.True(last.Frames > first.Frames && first.Frames >= 0, $"Frames decoded went from {first.Frames} to {last.Frames}.");
        var (still, at) = PlayerPage.LongestStill(samples);
        Assert.True(still <= 1000,
            $"currentTime stood still for {still:0} ms (from page time {at:0}; box killed at {killedAtPage:0}), longer than a second. {failures}");
    }

    /// <summary>After the warm-up, at least 95 % of the segment bytes the player loaded came from boxes.</summary>
    private static void AssertBoxesServedTheBytes(PlayerStats stats, double warmedUpAt)
    {
        var counted = stats.Log.Where(s => s.At > warmedUpAt).ToList();
        Assert.True(counted.Count >= 10, $"Only {counted.Count} segments were loaded after the warm-up.");
        var fromBoxes = counted.Where(s => s.ServedBy == "box").Sum(s => s.Bytes);
        var total = counted.Sum(s => s.Bytes);
        Assert.True(total > 0, "The page counted no segment bytes.");
        var share = (double)fromBoxes / total;
        Assert.True(share >= 0.95,
            $"Boxes served {share:P1} of {total} segment bytes after the warm-up; origin served: {string.Join(", ", counted.Where(s => s.ServedBy == "origin").Select(s => s.Name))}.");
    }

    /// <summary>
    /// "Match": the publisher counts a segment request when it answers it (a redirect to a box, or
    /// the bytes itself), the page when the bytes have arrived. So every segment the page counts
    /// the publisher counted too, under the same split (box or origin, requests and bytes), and
    /// what the publisher counted beyond the page are requests that failed (the killed box's, each
    /// one an error event the page counted) or the one still in flight.
    /// </summary>
    private static void AssertCountersMatchThePublisher(PlayerStats page, StreamFigures before, StreamFigures after)
    {
        Assert.Equal(page.Segments, page.BoxSegments + page.OriginSegments);
        Assert.Equal(page.BoxBytes + page.OriginBytes, page.Log.Sum(s => s.Bytes));

        Assert.InRange(page.BoxSegments, before.RedirectRequests - page.FailedLoads - 1, after.RedirectRequests);
        Assert.InRange(page.OriginSegments, before.OriginRequests - page.FailedLoads - 1, after.OriginRequests);
        var largest = page.Log.Max(s => s.Bytes);
        Assert.InRange(page.BoxBytes, before.RedirectBytes - (page.FailedLoads + 1) * largest, after.RedirectBytes);
        Assert.InRange(page.OriginBytes, before.OriginBytes - (page.FailedLoads + 1) * largest, after.OriginBytes);
    }

    private static async Task TryScreenshotAsync(IPage page, string name)
    {
        try
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, name) });
        }
        catch (PlaywrightException)
        {
        }
    }
}
