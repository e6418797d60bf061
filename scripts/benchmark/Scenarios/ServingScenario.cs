using System.Security.Cryptography;
using Dandelion.Benchmark.Measuring;
using Dandelion.Benchmark.Peers;
using Dandelion.Benchmark.Running;
using static Dandelion.Benchmark.Running.ScenarioContext;

namespace Dandelion.Benchmark.Scenarios;

/// <summary>
/// 5. A box serving 1 MiB and 4 MiB segments to wrk, against nginx serving the very same files
/// (the box's storage directory as its root). Afterwards the busy box must still be registered
/// at the entrance: its traffic entries must not have pushed it out. Runs after placement, which
/// needs both boxes.
/// </summary>
internal static class ServingScenario
{
    private const string Name = "5 serving";
    private const int Connections = 32;

    public static async Task RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var network = await context.NetworkAsync(cancellationToken);
        var box = network.Boxes[0];
        var (nginx, nginxPort) = await Nginx.StartAsync(network.Testbed.Group, "nginx-files", box.Storage, "        location / { }", cancellationToken);
        // Both files placed before either is served: serving is what may push a box out.
        var sizes = new[] { 1, 4 };
        foreach (var mebibytes in sizes)
        {
            var file = $"serve-{mebibytes}m.ts";
            await File.WriteAllBytesAsync(Path.Combine(network.PublishDirectory, file), RandomNumberGenerator.GetBytes(mebibytes << 20), cancellationToken);
            await network.PublishAsync(file, 0, cancellationToken);
            await network.WaitPlacedAsync(file, cancellationToken);
        }
        foreach (var mebibytes in sizes)
        {
            // Signed as the publisher hands it to viewers (nginx ignores the query).
            var url = new Uri(await network.SignedUrlAsync($"serve-{mebibytes}m.ts", box, cancellationToken));
            var nginxUrl = $"http://127.0.0.1:{nginxPort}{url.PathAndQuery}";
            await Wrk.WarmUpAsync(url.ToString(), Connections, context.Options.Smoke, cancellationToken);
            await Wrk.WarmUpAsync(nginxUrl, Connections, context.Options.Smoke, cancellationToken);
            var before = ProcessFigures.Read(box.Process.Id);
            var ours = await Wrk.RunAsync(url.ToString(), Connections, context.Options.Measure, cancellationToken);
            var after = ProcessFigures.Read(box.Process.Id);
            var nginxBefore = ProcessFigures.Read(nginx.Id);
            var theirs = await Wrk.RunAsync(nginxUrl, Connections, context.Options.Measure, cancellationToken);
            var nginxAfter = ProcessFigures.Read(nginx.Id);

            // Two heartbeats for the box to report what it served; it must still be there.
            await Task.Delay(TimeSpan.FromSeconds(context.Options.Smoke ? 2 : 11), cancellationToken);
            var live = await network.BoxesLiveAsync(cancellationToken);
            context.Report.Add(new ResultRow(Name,
                $"box serving {mebibytes} MiB segments, wrk -c{Connections}",
                $"{N(ours.RequestsPerSecond)}/s ({ours.Transfer}/s), p99 {Ms(ours.P99Ms)}; {(live == 2 ? "box still registered after" : $"ONLY {live} of 2 boxes registered after")}" +
                    (ours.Errors > 0 ? $"; {N(ours.Errors)} errors" : ""),
                $"nginx, same files: {N(theirs.RequestsPerSecond)}/s ({theirs.Transfer}/s) ({nginxAfter.Describe("nginx", nginxBefore)}, {nginxAfter.CpuPer(nginxBefore, theirs.Requests, "request")})",
                ours.RequestsPerSecond / theirs.RequestsPerSecond,
                ">= 0.8× nginx",
                $"{after.Describe("box", before)}, {after.CpuPer(before, ours.Requests, "request")}"));
        }
        await network.Testbed.Group.StopAsync(nginx);
    }
}
