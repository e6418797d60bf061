using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Dandelion.Benchmark.Measuring;
using Dandelion.Benchmark.Peers;
using Dandelion.Benchmark.Running;
using static Dandelion.Benchmark.Running.ScenarioContext;

namespace Dandelion.Benchmark.Scenarios;

/// <summary>
/// 6. Placement of 2 MB segments at R=2 with SHA-256 acknowledgement, through the real publisher
/// and boxes. A segment counts as placed when it appears in the second box's storage (the box
/// moves it there after checking its SHA-256, just before it answers STORED), watched with
/// inotify; its clock starts when the file is closed on the publisher's disk. First at a live
/// pace (latency), then all at once (throughput: segments/s and MiB/s on each box connection).
/// Peer: the same bytes over a plain loopback socket. An unmeasured round of placements goes
/// first, so the figures are of warmed-up processes rather than of the JIT's first minute.
/// </summary>
internal static class PlacementScenario
{
    private const string Name = "6 placement";
    private const int SegmentBytes = 2_000_000;

    public static async Task RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var network = await context.NetworkAsync(cancellationToken);
        var segments = context.Options.PlacementSegments;
        var contents = Enumerable.Range(0, 4).Select(_ => RandomNumberGenerator.GetBytes(SegmentBytes)).ToArray();
        var placed = new ConcurrentDictionary<string, long>();
        var copies = new ConcurrentDictionary<string, int>();
        var watchers = network.Boxes.Select(box =>
        {
            // Made before the first file so the watch is in place when the box moves it in.
            var directory = Directory.CreateDirectory(Path.Combine(box.Storage, network.PublisherId, network.PublishName)).FullName;
            var watcher = new FileSystemWatcher(directory, "place-*.ts") { NotifyFilter = NotifyFilters.FileName };
            void Arrived(string name)
            {
                if (copies.AddOrUpdate(name, 1, (_, n) => n + 1) == 2)
                    placed[name] = Stopwatch.GetTimestamp();
            }
            watcher.Created += (_, e) => Arrived(e.Name!);
            watcher.Renamed += (_, e) => Arrived(e.Name!);
            watcher.EnableRaisingEvents = true;
            return watcher;
        }).ToList();
        try
        {
            // Unmeasured: the processes are seconds old, and until their hot paths are compiled at
            // full optimisation (tiered JIT) a third of their CPU is the JIT's, not placement's.
            await PlaceAsync(network, contents, "place-warm", segments / 2, TimeSpan.Zero, placed, cancellationToken);

            // A live pace: one segment every 250 ms, as several 2 s streams would make them.
            var paced = await PlaceAsync(network, contents, "place-live", segments / 2, TimeSpan.FromMilliseconds(250), placed, cancellationToken);
            var latencies = new LatencyHistogram();
            foreach (var (name, started) in paced.Started)
                latencies.Record((long)(Stopwatch.GetElapsedTime(started, placed[name]).Ticks / 10));

            var pids = new[] { network.Publisher.Id, network.Boxes[0].Process.Id, network.Boxes[1].Process.Id };
            var before = pids.Select(ProcessFigures.Read).ToArray();
            var burst = await PlaceAsync(network, contents, "place-burst", segments, TimeSpan.Zero, placed, cancellationToken);
            var after = pids.Select(ProcessFigures.Read).ToArray();
            var elapsed = Stopwatch.GetElapsedTime(burst.Started.Min(s => s.Value), burst.Started.Keys.Max(n => placed[n]));
            var perConnection = (double)segments * SegmentBytes / 1048576 / elapsed.TotalSeconds;

            var peer = await PlainSocket.MebibytesPerSecondAsync(contents[0], segments, cancellationToken);
            var peerSegmentMs = SegmentBytes / 1048576.0 / peer * 1000;
            string Figures(int i, string name) => $"{after[i].Describe(name, before[i])}, {after[i].CpuPer(before[i], segments, "segment")}";
            var measured = $"{Figures(0, "publisher")}; {Figures(1, "box1")}; {Figures(2, "box2")}";
            context.Report.Add(new ResultRow(Name,
                $"2 MB segment from on disk to on 2 boxes, one every 250 ms ({N(paced.Started.Count)} segments)",
                $"p50 {Ms(latencies.Percentile(0.5))}, p99 {Ms(latencies.Percentile(0.99))}",
                $"plain loopback socket: {Ms(peerSegmentMs)} per 2 MB",
                peerSegmentMs / latencies.Percentile(0.99),
                "p99 < 50 ms",
                "(paced; CPU in the row below)"));
            context.Report.Add(new ResultRow(Name,
                $"{N(segments)} × 2 MB at once, R=2, SHA-256 checked",
                $"{segments / elapsed.TotalSeconds:0.0} segments/s, {perConnection:0} MiB/s on each box connection",
                $"plain loopback socket: {peer:0} MiB/s",
                perConnection / peer,
                ">= 430 MiB/s per box connection",
                measured));
        }
        finally
        {
            foreach (var watcher in watchers)
                watcher.Dispose();
        }
    }

    private sealed record Placement(IReadOnlyDictionary<string, long> Started);

    /// <summary>Writes and publishes <paramref name="count"/> segments, <paramref name="pace"/> apart; returns once each is on two boxes.</summary>
    private static async Task<Placement> PlaceAsync(NetworkBed network, byte[][] contents, string prefix, int count, TimeSpan pace,
        ConcurrentDictionary<string, long> placed, CancellationToken cancellationToken)
    {
        var started = new Dictionary<string, long>();
        for (var i = 0; i < count; i++)
        {
            var name = $"{prefix}-{i:D5}.ts";
            await File.WriteAllBytesAsync(Path.Combine(network.PublishDirectory, name), contents[i % contents.Length], cancellationToken);
            started[name] = Stopwatch.GetTimestamp();
            await network.PublishAsync(name, 120, cancellationToken);
            if (pace > TimeSpan.Zero)
                await Task.Delay(pace, cancellationToken);
        }
        await network.Testbed.Group.WaitAsync(network.Publisher, () => Task.FromResult(started.Keys.All(placed.ContainsKey)),
            $"{count} segments to be placed on both boxes", cancellationToken);
        return new Placement(started);
    }
}
