using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Dandelion.Benchmark.Measuring;
using Dandelion.Benchmark.Peers;
using Dandelion.Benchmark.Running;
using Dandelion.Benchmark.Viewing;
using Dandelion.LocalNetwork;
using static Dandelion.Benchmark.Running.ScenarioContext;

namespace Dandelion.Benchmark.Scenarios;

/// <summary>
/// 8. Viewers: simulated HLS viewers (<see cref="SimulatedViewer"/>) of a live stream
/// (<see cref="LiveFeed"/>) on Redis, an entrance, boxes and a publisher, while one box leaves
/// (SIGKILL) or freezes (SIGSTOP) every churn interval and a new one joins. Figures: the share
/// of segment bytes viewers got from boxes, segments that failed after one retry, time to first
/// segment, and the publisher's own delivered-bytes figures. Peer: the same viewers, in the same
/// run, against nginx serving the same directory (the origin alone).
/// </summary>
internal static class ViewersScenario
{
    private const string Name = "8 viewers";
    private static readonly TimeSpan SegmentDuration = TimeSpan.FromSeconds(2);

    public static async Task RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        await using var testbed = context.NewTestbed("viewers");
        var (_, redisPort) = await testbed.StartRedisAsync(cancellationToken);
        var (_, entranceUrl) = await testbed.StartEntranceAsync(redisPort, "viewers", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), cancellationToken);
        var ws = $"ws://127.0.0.1:{entranceUrl.Port}/dandelion/ws/";
        var boxes = new List<BenchBox>(await Task.WhenAll(Enumerable.Range(1, options.ViewerBoxes)
            .Select(i => testbed.StartBoxAsync($"box{i}", ws, cancellationToken))));
        var directory = Directory.CreateDirectory(Path.Combine(testbed.Group.RunDirectory, "live")).FullName;
        var (publisher, publisherUrl, _) = await testbed.StartPublisherAsync(ws, directory, options.ViewerBoxes, options.Smoke ? 2 : 3, cancellationToken);

        using var api = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        await testbed.Group.WaitAsync(publisher, async () => await OpenSessionsAsync(api, publisherUrl, cancellationToken) >= Math.Min(3, options.ViewerBoxes),
            "the publisher to open box sessions", cancellationToken);
        var feed = new LiveFeed(api, publisherUrl, directory, options.ViewerSegmentBytes, SegmentDuration);
        for (var i = 0; i < 3; i++)
            await feed.AddSegmentAsync(cancellationToken);
        using var feeding = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var feedRun = feed.RunAsync(feeding.Token);

        var (nginx, nginxPort) = await Nginx.StartAsync(testbed.Group, "nginx-origin", directory,
            $"        location /media/{feed.Name}/ {{ alias {directory}/; add_header Cache-Control no-store; }}", cancellationToken);

        var before = ProcessFigures.Read(publisher.Id);
        var ours = new ViewerTally();
        using (var churning = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var churn = ChurnAsync(testbed, boxes, ws, options.ViewerChurn, churning.Token);
            await WatchAsync(new Uri(publisherUrl, $"media/{feed.Name}/{LiveFeed.Playlist}"), options, ours, cancellationToken);
            await churning.CancelAsync();
            await churn;
        }
        var after = ProcessFigures.Read(publisher.Id);
        // Boxes report what they served with their next heartbeats; the publisher hears it in its next SEARCH.
        await Task.Delay(TimeSpan.FromSeconds(6), cancellationToken);
        string delivered;
        try
        {
            delivered = await PublisherFiguresAsync(api, publisherUrl, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            delivered = "no answer from /api/stats";
        }

        var theirs = new ViewerTally();
        await WatchAsync(new Uri($"http://127.0.0.1:{nginxPort}/media/{feed.Name}/{LiveFeed.Playlist}"), options, theirs, cancellationToken);
        await feeding.CancelAsync();
        await feedRun;
        await testbed.Group.StopAsync(nginx);

        var oursP50 = ours.FirstSegmentMs(0.5);
        var theirsP50 = theirs.FirstSegmentMs(0.5);
        context.Report.Add(new ResultRow(Name,
            string.Create(CultureInfo.InvariantCulture,
                $"{options.Viewers} HLS viewers, {options.ViewerBoxes} boxes, one leaving or freezing every {options.ViewerChurn.TotalSeconds:0} s, {options.ViewerWatch.TotalSeconds:0} s of {SegmentDuration.TotalSeconds:0} s segments of {options.ViewerSegmentBytes / 1000} kB"),
            string.Create(CultureInfo.InvariantCulture,
                $"{ours.BoxShare * 100 ?? 0:0.00} % of segment bytes from boxes ({ours.Segments} segments); {ours.FailedAfterRetry} failed after one retry ({ours.FirstTryFailures} first tries failed); first segment p50 {Ms(oursP50)}, p99 {Ms(ours.FirstSegmentMs(0.99))}; publisher: {delivered}{(feed.Unpublished > 0 ? $"; {feed.Unpublished} segments not taken by the publisher" : "")}"),
            string.Create(CultureInfo.InvariantCulture,
                $"origin alone (nginx): first segment p50 {Ms(theirsP50)}, p99 {Ms(theirs.FirstSegmentMs(0.99))}; {theirs.FailedAfterRetry} failed after one retry ({theirs.Segments} segments)"),
            oursP50 > 0 && theirsP50 > 0 ? theirsP50 / oursP50 : null,
            ">= 99 % from boxes, 0 failed after one retry",
            $"{after.Describe("publisher", before)}"));
    }

    /// <summary>The viewers, started over one segment duration, watching for the run's watch time.</summary>
    private static async Task WatchAsync(Uri playlist, BenchmarkOptions options, ViewerTally tally, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 4096, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(options.ViewerWatch);
        var viewers = Enumerable.Range(0, options.Viewers).Select(async i =>
        {
            await Task.Delay(SegmentDuration * i / options.Viewers, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            await new SimulatedViewer(http, playlist, SegmentDuration, tally).RunAsync(stop.Token);
        });
        await Task.WhenAll(viewers);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Every <paramref name="every"/>: the longest-serving box is killed or frozen (in turn), and a new one joins.</summary>
    private static async Task ChurnAsync(Testbed testbed, List<BenchBox> boxes, string ws, TimeSpan every, CancellationToken stop)
    {
        var frozen = new List<ChildProcess>();
        var joined = boxes.Count;
        try
        {
            for (var turn = 0; ; turn++)
            {
                await Task.Delay(every, stop);
                var victim = boxes[0];
                boxes.RemoveAt(0);
                if (turn % 2 == 0)
                    await victim.Process.KillAsync();
                else
                {
                    victim.Process.Freeze();
                    frozen.Add(victim.Process);
                }
                try
                {
                    boxes.Add(await testbed.StartBoxAsync($"box{++joined}", ws, stop));
                }
                catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
                {
                    // A box that does not start (a loaded machine) is one fewer joining; the run goes on.
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        foreach (var process in frozen)
            await process.KillAsync();
    }

    private static async Task<int> OpenSessionsAsync(HttpClient api, Uri publisherUrl, CancellationToken cancellationToken)
    {
        try
        {
            using var boxes = await api.GetFromJsonAsync<JsonDocument>(new Uri(publisherUrl, "api/boxes"), cancellationToken);
            return boxes!.RootElement.GetArrayLength();
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException)
        {
            return 0;
        }
    }

    /// <summary>The publisher's <c>/api/stats</c> for the segments (stream <c>files</c>): delivered by boxes, sent by the origin, redirected.</summary>
    private static async Task<string> PublisherFiguresAsync(HttpClient api, Uri publisherUrl, CancellationToken cancellationToken)
    {
        using var stats = await api.GetFromJsonAsync<JsonDocument>(new Uri(publisherUrl, "api/stats"), cancellationToken);
        if (!stats!.RootElement.TryGetProperty("files", out var files))
            return "no figures";
        var box = files.GetProperty("boxBytes").GetInt64();
        var origin = files.GetProperty("originBytes").GetInt64();
        var redirected = files.GetProperty("redirectBytes").GetInt64();
        return string.Create(CultureInfo.InvariantCulture,
            $"boxes reported delivering {box / 1e6:0.0} MB, origin sent {origin / 1e6:0.0} MB (playlists included), {files.GetProperty("offloadRatio").GetDouble() * 100:0.0} % delivered by boxes; redirected {redirected / 1e6:0.0} MB");
    }
}
