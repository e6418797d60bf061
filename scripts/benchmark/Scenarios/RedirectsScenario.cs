using Dandelion.Benchmark.Measuring;
using Dandelion.Benchmark.Peers;
using Dandelion.Benchmark.Running;
using static Dandelion.Benchmark.Running.ScenarioContext;

namespace Dandelion.Benchmark.Scenarios;

/// <summary>
/// 4. Viewer redirects: wrk fetching <c>/media/{file}</c> from the publisher, which answers 302
/// to a box holding it. Peer: nginx answering the same 302 with <c>return 302</c>.
/// </summary>
internal static class RedirectsScenario
{
    private const string Name = "4 redirects";
    private const int Connections = 64;

    public static async Task RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var network = await context.NetworkAsync(cancellationToken);
        const string file = "redirect.ts";
        await File.WriteAllBytesAsync(Path.Combine(network.PublishDirectory, file), new byte[1 << 20], cancellationToken);
        await network.PublishAsync(file, 0, cancellationToken);
        await network.WaitPlacedAsync(file, cancellationToken);

        var media = new Uri(network.PublisherUrl, $"media/{network.PublishName}/{file}");
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var first = await http.GetAsync(media, cancellationToken);
        if ((int)first.StatusCode != 302 || first.Headers.Location is not { } location)
            throw new InvalidOperationException($"/media/ answered {(int)first.StatusCode}, not a 302 to a box.");

        var (nginx, port) = await Nginx.StartAsync(network.Testbed.Group, "nginx-redirect", network.PublishDirectory,
            $"        location /media/ {{ add_header Cache-Control no-store; return 302 {location}; }}", cancellationToken);
        var nginxUrl = $"http://127.0.0.1:{port}/media/{network.PublishName}/{file}";
        await Wrk.WarmUpAsync(media.ToString(), Connections, context.Options.Smoke, cancellationToken);
        await Wrk.WarmUpAsync(nginxUrl, Connections, context.Options.Smoke, cancellationToken);
        var before = ProcessFigures.Read(network.Publisher.Id);
        var ours = await Wrk.RunAsync(media.ToString(), Connections, context.Options.Measure, cancellationToken);
        var after = ProcessFigures.Read(network.Publisher.Id);
        var nginxBefore = ProcessFigures.Read(nginx.Id);
        var theirs = await Wrk.RunAsync(nginxUrl, Connections, context.Options.Measure, cancellationToken);
        var nginxAfter = ProcessFigures.Read(nginx.Id);
        await network.Testbed.Group.StopAsync(nginx);

        context.Report.Add(new ResultRow(Name,
            $"GET /media/ → 302 to a box, wrk -c{Connections}",
            $"{N(ours.RequestsPerSecond)}/s, p50 {Ms(ours.P50Ms)}, p99 {Ms(ours.P99Ms)}" + (ours.Errors > 0 ? $"; {N(ours.Errors)} errors" : ""),
            $"nginx return 302: {N(theirs.RequestsPerSecond)}/s, p99 {Ms(theirs.P99Ms)} ({nginxAfter.Describe("nginx", nginxBefore)}, {nginxAfter.CpuPer(nginxBefore, theirs.Requests, "request")})",
            ours.RequestsPerSecond / theirs.RequestsPerSecond,
            ">= 0.7× nginx",
            $"{after.Describe("publisher", before)}, {after.CpuPer(before, ours.Requests, "request")}"));
    }
}
