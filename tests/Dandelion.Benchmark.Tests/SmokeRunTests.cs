using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Dandelion.Benchmark.Tests;

/// <summary>
/// The benchmark in smoke mode, as CI runs it, so it cannot rot: every scenario starts what it
/// needs and measures both sides. It checks that every row was produced with a figure for us and
/// for the peer, never what the figures are (on a shared 2-core machine they mean nothing here).
/// </summary>
public sealed class SmokeRunTests
{
    /// <summary>The rows a smoke run must produce, by scenario and the start of the case.</summary>
    public static readonly TheoryData<string, string> ExpectedRows = new()
    {
        { "1 sessions", "100 sessions at a 2 s heartbeat" },
        { "1 sessions", "200 sessions at a 2 s heartbeat" },
        { "1 sessions", "EXCHANGE throughput" },
        { "2 v1 exchanges", "connect, EXCHANGE, close; concurrency 1" },
        { "2 v1 exchanges", "connect, EXCHANGE, close; concurrency 16" },
        { "2 v1 exchanges", "connect, EXCHANGE, close; concurrency 64" },
        { "3 search", "SEARCH, 500 boxes spread over the world" },
        { "3 search", "SEARCH, 500 boxes all in one city" },
        { "4 redirects", "GET /media/ → 302" },
        { "5 serving", "box serving 1 MiB" },
        { "5 serving", "box serving 4 MiB" },
        { "6 placement", "2 MB segment from on disk to on 2 boxes" },
        { "6 placement", "6 × 2 MB at once" },
        { "7 scale-out", "EXCHANGE throughput, 3 entrances on a 3-master 3-replica cluster" },
        { "7 scale-out", "SEARCH, 3 entrances on a 3-master 3-replica cluster" },
        { "7 scale-out", "keys per master" },
        { "8 viewers", "6 HLS viewers" },
    };

    private static readonly Lazy<Task<(int ExitCode, string Output, List<Row> Rows)>> Run = new(RunSmokeAsync);

    [Theory]
    [MemberData(nameof(ExpectedRows))]
    public async Task Smoke_run_measures_the_row_on_both_sides(string scenario, string caseStart)
    {
        var (_, output, rows) = await Run.Value;
        var row = rows.SingleOrDefault(r => r.Scenario == scenario && Regex.IsMatch(r.Case, $@"^{Regex.Escape(caseStart)}(\D|$)"));
        Assert.True(row is not null, $"No row '{scenario} | {caseStart}…' in the smoke results. Output:\n{output}");
        Assert.True(row.Error is null, $"'{scenario} | {row.Case}' was not measured: {row.Error}");
        Assert.Matches(@"\d", row.Ours);
        Assert.Matches(@"\d", row.Peer);
        Assert.False(string.IsNullOrWhiteSpace(row.Measured));
    }

    [Fact]
    public async Task Smoke_run_succeeds_and_measures_nothing_else()
    {
        var (exitCode, output, rows) = await Run.Value;
        Assert.True(exitCode == 0, $"The smoke run exited {exitCode}:\n{output}");
        Assert.Equal(ExpectedRows.Count(), rows.Count);
    }

    private static async Task<(int, string, List<Row>)> RunSmokeAsync()
    {
        var root = FindRoot();
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(root, "scripts", "benchmark", "bin", configuration, "net10.0", "Dandelion.Benchmark.dll");
        var results = Path.Combine(Directory.CreateTempSubdirectory("dandelion-benchmark-").FullName, "smoke.md");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        foreach (var argument in new[] { dll, "--smoke", "--output", results })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // Generous for a loaded machine; the run itself takes about two minutes when the machine is quiet.
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The smoke run took over 15 minutes:\n" + await stdout);
        }
        var output = await stdout + await stderr;
        var json = Path.ChangeExtension(results, ".json");
        var rows = File.Exists(json)
            ? JsonSerializer.Deserialize<List<Row>>(await File.ReadAllTextAsync(json), new JsonSerializerOptions(JsonSerializerDefaults.Web))!
            : [];
        return (process.ExitCode, output, rows);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dandelion.sln")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException("Dandelion.sln not found above " + AppContext.BaseDirectory);
    }

    public sealed record Row(string Scenario, string Case, string Ours, string Peer, double? Ratio, string Target, string Measured, string? Error);
}
