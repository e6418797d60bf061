using System.Globalization;
using System.Net.Sockets;
using Dandelion.Benchmark.Measuring;
using Dandelion.Benchmark.Scenarios;
using Dandelion.LocalNetwork;

namespace Dandelion.Benchmark.Running;

/// <summary>Runs the chosen scenarios one after the other and writes the results; a scenario that fails becomes a row saying why.</summary>
internal static class BenchmarkRun
{
    private static readonly Dictionary<string, (string Row, Func<ScenarioContext, CancellationToken, Task> Run)> Scenarios = new()
    {
        ["sessions"] = ("1 sessions", SessionsScenario.RunAsync),
        ["exchanges"] = ("2 v1 exchanges", ExchangesScenario.RunAsync),
        ["search"] = ("3 search", SearchScenario.RunAsync),
        ["redirects"] = ("4 redirects", RedirectsScenario.RunAsync),
        ["serving"] = ("5 serving", ServingScenario.RunAsync),
        ["placement"] = ("6 placement", PlacementScenario.RunAsync),
        ["scale-out"] = ("7 scale-out", ScaleOutScenario.RunAsync),
        ["viewers"] = ("8 viewers", ViewersScenario.RunAsync),
    };

    public static async Task<int> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        var root = Repository.FindRoot();
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var runDirectory = Path.Combine(root, ".run", $"benchmark-{stamp}");
        var output = options.Output ?? Path.Combine(root, "artifacts", "benchmark", options.Smoke ? "smoke.md" : $"full-{stamp}.md");
        var report = new Report(Machine.Describe());
        var loadBefore = Machine.LoadAverage();
        var cpuBefore = Machine.CpuTicks();
        Console.WriteLine($"benchmark: {(options.Smoke ? "smoke" : "full")} run of {string.Join(", ", options.Scenarios)}; processes and logs in {runDirectory}");

        await using (var context = new ScenarioContext(options, report, runDirectory))
        {
            // Serving last: a box pushed out by its serving must not take placement down with it.
            foreach (var name in options.Scenarios.OrderBy(n => n == "serving" ? 1 : 0))
            {
                var (row, run) = Scenarios[name];
                Console.WriteLine($"benchmark: scenario {row}…");
                try
                {
                    await run(context, cancellationToken);
                }
                catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException or SocketException
                                               or HttpRequestException or StackExchange.Redis.RedisException or System.Text.Json.JsonException
                                               or System.Net.WebSockets.WebSocketException or KeyNotFoundException && !cancellationToken.IsCancellationRequested)
                {
                    report.Add(new ResultRow(row, "(scenario failed)", "", "", null, "", "", ex.GetType().Name + ": " + FirstLine(ex.Message)));
                    await File.AppendAllTextAsync(Path.Combine(runDirectory, "errors.log"), $"{row}: {ex}\n", cancellationToken);
                }
            }
        }

        var load = string.Create(CultureInfo.InvariantCulture,
            $"load average {loadBefore} before, {Machine.LoadAverage()} after; the whole machine {Machine.BusyPercentSince(cpuBefore):0} % busy over the run (other engineers' builds included)");
        var title = $"### {(options.Smoke ? "Smoke run (sizes too small to mean anything)" : "Full run")}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC";
        var markdown = report.ToMarkdown(title, load);
        await report.WriteAsync(output, markdown);
        if (!options.Smoke && options.Output is null && options.Scenarios.Count == BenchmarkOptions.AllScenarios.Length)
            await Report.ReplaceResultsAsync(Path.Combine(root, "BENCHMARKS.md"), markdown);
        Console.WriteLine($"benchmark: results in {output}");
        return report.Rows.Any(r => r.Error is not null) ? 1 : 0;
    }

    private static string FirstLine(string text) => text.Split('\n')[0];
}
