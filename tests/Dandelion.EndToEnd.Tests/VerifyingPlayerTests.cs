using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Dandelion.LocalNetwork;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Dandelion.EndToEnd.Tests;

/// <summary>
/// The project's player against the network <c>./scripts/run-local.sh</c> starts, in a real browser:
/// it holds near the live edge and comes back there after a forced stall (the browser offline),
/// and it checks every segment against the SHA-256 in the playlist. A real box whose stored
/// segments are altered on its disk is caught: the player plays the origin's bytes instead,
/// reports the box, the publisher confirms it with its own fetch and stops sending viewers and
/// files to it; a viewer's false report about a good box changes nothing.
/// </summary>
public sealed class VerifyingPlayerTests(ITestOutputHelper output)
{
    /// <summary>Waits for things a loaded 2-core machine may be slow at; never asserted as a duration.</summary>
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(10);
    /// <summary>How long the latency must stay within bound once back.</summary>
    private const double HeldMs = 16_000;

    [Fact]
    public async Task The_player_stays_near_the_live_edge_after_a_stall_and_plays_the_origin_s_bytes_for_a_box_that_alters_segments()
    {
        var run = Directory.CreateTempSubdirectory("dandelion-verify-").FullName;
        var network = await Network.StartAsync(new LocalNetworkOptions { RunDirectory = run });
        try
        {
            await network.WaitUntilStreamingAsync(Generous, segments: 3);
            await using var browser = await HeadlessChromium.LaunchAsync();
            var player = new PlayerPage(await browser.Context.NewPageAsync());
            await player.Page.GotoAsync(network.PlayerUrl.ToString());
            await Eventually.Until(async () => (await player.VideoAsync()).Ct > 0 && (await player.StatsAsync()).Segments >= 3,
                "the player to start playing", Generous);

            await StaysNearTheLiveEdgeAfterAStallAsync(network, browser, player);
            await CatchesABoxThatAltersSegmentsAsync(network, browser, player);
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

    private async Task StaysNearTheLiveEdgeAfterAStallAsync(Network network, HeadlessChromium browser, PlayerPage player)
    {
        var bound = 3.0 * network.SegmentSeconds;
        await Eventually.Until(async () => await LatestLatencyAsync(player) is > 0 and var l && l <= bound, "the player to be near the live edge", Generous);

        // A stall: nothing reaches the page for longer than its buffer lasts.
        await browser.Context.SetOfflineAsync(true);
        var offlineAt = await player.NowAsync();
        await Task.Delay(Stall);
        await browser.Context.SetOfflineAsync(false);
        var onlineAt = await player.NowAsync();
        var stalled = await player.Page.EvaluateAsync<double>(
            "() => Math.max(0, ...window.dandelionStats.latency.filter(s => s.at > arguments[0]).map(s => s.latency))".Replace("arguments[0]", offlineAt.ToString(CultureInfo.InvariantCulture)));

        // The stall was one: the player fell further behind than the bound.
        Assert.True(stalled > bound, $"The player was at most {stalled:0.0} s behind while offline: no stall was forced.");

        // Back within bound, then held there.
        double backAt = 0;
        await Eventually.Until(async () =>
        {
            var now = await player.NowAsync();
            var since = (await LatencyAsync(player)).Where(s => s.At > onlineAt).ToList();
            var firstWithin = since.FindIndex(s => s.Latency <= bound);
            if (firstWithin < 0)
                return false;
            backAt = since[firstWithin].At;
            return now - backAt >= HeldMs;
        }, "the latency to come back within 3 segment durations and stay there", Generous);
        var held = (await LatencyAsync(player)).Where(s => s.At >= backAt && s.At <= backAt + HeldMs).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"latency: {stalled:0.0} s at most while offline; back within {bound} s {(backAt - onlineAt) / 1000:0.0} s after the stall; " +
            $"then {held.Min(s => s.Latency):0.0}-{held.Max(s => s.Latency):0.0} s over {held.Count} samples"));
        Assert.True(held.Count >= 10, $"Only {held.Count} latency samples in the held window.");
        Assert.All(held, s => Assert.True(s.Latency <= bound, $"{s.Latency:0.0} s behind the live edge at page time {s.At:0}: more than {bound} s."));
    }

    private async Task CatchesABoxThatAltersSegmentsAsync(Network network, HeadlessChromium browser, PlayerPage player)
    {
        var liar = network.Boxes[0];
        var honest = network.Boxes[1];
        using var publisher = new HttpClient { BaseAddress = network.PublisherUrl, Timeout = TimeSpan.FromSeconds(30) };

        // A viewer's false report about a good box: the publisher's own fetch finds the right bytes.
        var (path, honestUrl) = await HolderCopyAsync(publisher, network, honest);
        var lie = await publisher.PostAsJsonAsync("integrity/report", new { path, url = honestUrl });
        lie.EnsureSuccessStatusCode();
        Assert.Equal("good", (await lie.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("verdict").GetString());

        // The liar alters every segment it stores, keeping the length.
        using var stop = new CancellationTokenSource();
        var altering = AlterEverySegmentAsync(liar, stop.Token);
        try
        {
            await Eventually.Until(async () => (await MismatchesAsync(player)).Any(m => m.Host == liar.HttpHost && m.Verdict == "confirmed"),
                $"the player to catch {liar.Name}, report it, and the publisher to confirm it", Generous);
        }
        finally
        {
            await stop.CancelAsync();
            await altering;
        }
        var confirmedAt = await player.NowAsync();

        // No longer redirected to (nor given files); the good box still is.
        await Eventually.Until(async () => await LiveHoldersAsync(publisher, network) is var holders && holders.Count > 0 &&
                                           !holders.Any(h => h.Contains(liar.HttpHost, StringComparison.Ordinal)) &&
                                           holders.Any(h => h.Contains(honest.HttpHost, StringComparison.Ordinal)),
            $"the publisher's holders of live segments to leave out {liar.Name} and keep {honest.Name}", Generous);
        await Eventually.Until(async () => (await player.StatsAsync()).Log.Count(s => s.At > confirmedAt + 2000) >= 5,
            "five more segments after the confirmation", Generous);

        // The operator sees it: the publisher's next SEARCH carries it to the entrance's dashboard.
        var dashboard = await browser.Context.NewPageAsync();
        await dashboard.GotoAsync(network.DashboardUrl.ToString());
        await Eventually.Until(async () => await dashboard.Locator($"#boxes tr[data-box-id='{liar.Id}'][data-distrusted='true']").CountAsync() == 1,
            $"the dashboard to show {liar.Name} distrusted", Generous);
        Assert.Contains("served altered files", await dashboard.Locator($"#boxes tr[data-box-id='{liar.Id}']").TextContentAsync());
        Assert.Equal(0, await dashboard.Locator($"#boxes tr[data-box-id='{honest.Id}'][data-distrusted='true']").CountAsync());
        await dashboard.CloseAsync();

        var stats = await player.StatsAsync();
        var mismatches = await MismatchesAsync(player);
        output.WriteLine($"{mismatches.Count} altered copies caught ({string.Join(", ", mismatches.Select(m => $"{m.Name} from {m.Host}: {m.Verdict}"))}); " +
                         $"{stats.Log.Count} segments, {stats.FatalErrors.Count} fatal errors");
        Assert.All(mismatches, m => Assert.Equal(liar.HttpHost, m.Host));
        // The bytes played are the publisher's: refetched from the origin, matching the playlist's SHA-256.
        Assert.All(mismatches, m => Assert.Equal(m.Expected, m.Refetched));
        Assert.All(mismatches, m => Assert.Contains(stats.Log, s => s.Name == m.Name && s.ServedBy == "origin"));
        Assert.DoesNotContain(stats.Log, s => s.At > confirmedAt + 2000 && s.Host == liar.HttpHost);
        Assert.Contains(stats.Log, s => s.At > confirmedAt && s.ServedBy == "box");
        var video = await player.VideoAsync();
        Assert.Equal(0, video.Error);
    }

    /// <summary>A live segment and the URL of its copy on <paramref name="box"/>, as <c>/media/…?json=1</c> lists it.</summary>
    private static async Task<(string Path, string Url)> HolderCopyAsync(HttpClient publisher, Network network, LocalBox box)
    {
        (string, string)? found = null;
        await Eventually.Until(async () =>
        {
            foreach (var uri in await SegmentUrisAsync(publisher, network))
            {
                var holders = await publisher.GetFromJsonAsync<JsonElement>(uri.TrimStart('/') + "?json=1");
                foreach (var holder in holders.GetProperty("holders").EnumerateArray())
                {
                    var url = holder.GetProperty("url").GetString()!;
                    if (url.Contains(box.HttpHost, StringComparison.Ordinal))
                    {
                        found = (holders.GetProperty("path").GetString()!, url);
                        return true;
                    }
                }
            }
            return false;
        }, $"a live segment held by {box.Name}", Generous);
        return found!.Value;
    }

    private static async Task<List<string>> LiveHoldersAsync(HttpClient publisher, Network network)
    {
        var urls = new List<string>();
        foreach (var uri in (await SegmentUrisAsync(publisher, network)).TakeLast(3))
        {
            var holders = await publisher.GetFromJsonAsync<JsonElement>(uri.TrimStart('/') + "?json=1");
            urls.AddRange(holders.GetProperty("holders").EnumerateArray().Select(h => h.GetProperty("url").GetString()!));
        }
        return urls;
    }

    private static async Task<List<string>> SegmentUrisAsync(HttpClient publisher, Network network)
    {
        var playlist = await publisher.GetStringAsync($"live/{network.StreamName}.m3u8");
        return playlist.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("/media/", StringComparison.Ordinal)).ToList();
    }

    /// <summary>Flips bytes in the middle of every segment file the box stores, once each, until stopped.</summary>
    private static async Task AlterEverySegmentAsync(LocalBox box, CancellationToken cancellationToken)
    {
        var altered = new HashSet<string>(StringComparer.Ordinal);
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var file in Directory.EnumerateFiles(box.DataDirectory, "*.ts", SearchOption.AllDirectories))
            {
                if (altered.Contains(file))
                    continue;
                try
                {
                    await using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
                    if (stream.Length < 1024)
                        continue;
                    stream.Position = stream.Length / 2;
                    await stream.WriteAsync(new byte[] { 0xde, 0xad, 0xbe, 0xef }, CancellationToken.None);
                    altered.Add(file);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Expired and deleted meanwhile.
                }
            }
            try
            {
                await Task.Delay(50, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private static async Task<double> LatestLatencyAsync(PlayerPage player) =>
        (await LatencyAsync(player)).LastOrDefault()?.Latency ?? 0;

    private static async Task<List<LatencySample>> LatencyAsync(PlayerPage player) =>
        (await player.Page.EvaluateAsync<JsonElement>("() => window.dandelionStats.latency"))
        .EnumerateArray().Select(s => new LatencySample(s.GetProperty("at").GetDouble(), s.GetProperty("latency").GetDouble())).ToList();

    private static async Task<List<Mismatch>> MismatchesAsync(PlayerPage player) =>
        (await player.Page.EvaluateAsync<JsonElement>("() => window.dandelionStats.verify.mismatches"))
        .EnumerateArray().Select(m => new Mismatch(m.GetProperty("name").GetString()!, m.GetProperty("host").GetString()!,
            m.GetProperty("expected").GetString()!, m.TryGetProperty("refetched", out var r) ? r.GetString() : null,
            m.TryGetProperty("verdict", out var v) ? v.GetString() : null)).ToList();

    private sealed record LatencySample(double At, double Latency);

    private sealed record Mismatch(string Name, string Host, string Expected, string? Refetched, string? Verdict);
}
