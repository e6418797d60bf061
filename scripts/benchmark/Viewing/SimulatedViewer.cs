using System.Diagnostics;

namespace Dandelion.Benchmark.Viewing;

/// <summary>
/// One HLS viewer as a stock player behaves: fetch the live playlist once per segment duration,
/// start three segments behind the live edge, fetch each new segment (following the 302) with a
/// 4 s timeout, and on failure ask once more (the publisher may name another holder).
/// </summary>
internal sealed class SimulatedViewer(HttpClient http, Uri playlist, TimeSpan segmentDuration, ViewerTally tally)
{
    private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(4);

    /// <summary>Watches until <paramref name="stop"/>; a fetch cut short by the stop counts as nothing.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            await WatchAsync(stop);
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException && stop.IsCancellationRequested)
        {
        }
    }

    private async Task WatchAsync(CancellationToken stop)
    {
        var started = Stopwatch.GetTimestamp();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var first = true;
        while (!stop.IsCancellationRequested)
        {
            var next = Stopwatch.GetTimestamp() + (long)(segmentDuration.TotalSeconds * Stopwatch.Frequency);
            IReadOnlyList<string> segments;
            try
            {
                segments = await PlaylistAsync(stop);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested)
            {
                segments = [];
            }
            var fresh = segments.Where(s => !seen.Contains(s)).ToList();
            if (first && fresh.Count > 3)
                fresh = fresh.TakeLast(3).ToList();
            foreach (var segment in fresh)
            {
                if (stop.IsCancellationRequested)
                    return;
                seen.Add(segment);
                if (await FetchWithRetryAsync(new Uri(playlist, segment), stop) && first)
                {
                    first = false;
                    tally.FirstSegment(Stopwatch.GetElapsedTime(started));
                }
            }
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait, stop).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task<IReadOnlyList<string>> PlaylistAsync(CancellationToken stop)
    {
        var text = await http.GetStringAsync(playlist, stop);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith('#')).ToList();
    }

    private async Task<bool> FetchWithRetryAsync(Uri segment, CancellationToken stop)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
            timeout.CancelAfter(FetchTimeout);
            try
            {
                using var response = await http.GetAsync(segment, timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    var bytes = (await response.Content.ReadAsByteArrayAsync(timeout.Token)).LongLength;
                    var servedBy = response.RequestMessage?.RequestUri ?? segment;
                    tally.Loaded(bytes, fromBox: servedBy.Port != playlist.Port);
                    return true;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !stop.IsCancellationRequested)
            {
            }
            if (stop.IsCancellationRequested)
                return false;
            if (attempt == 0)
                tally.FirstTryFailed();
        }
        tally.Failed();
        return false;
    }
}
