namespace Dandelion.Benchmark.Running;

/// <summary>
/// Command line of <c>./scripts/benchmark.sh</c>: <c>[--smoke] [--scenario NAME]… [--output FILE]</c>.
/// Smoke runs every scenario at small sizes (CI runs it so the benchmark cannot rot; its
/// figures mean nothing); the full run is done by hand on a quiet machine.
/// </summary>
internal sealed class BenchmarkOptions
{
    public static readonly string[] AllScenarios = ["sessions", "exchanges", "search", "redirects", "serving", "placement", "scale-out", "viewers"];

    public bool Smoke { get; private init; }
    public IReadOnlyList<string> Scenarios { get; private init; } = AllScenarios;

    /// <summary>The results file; a full run also puts its table into BENCHMARKS.md. Default <c>artifacts/benchmark/{full|smoke}.md</c>.</summary>
    public string? Output { get; private init; }

    /// <summary>Load-generating processes. Each holds at most the open-file limit of connections.</summary>
    public int Workers => Smoke ? 2 : 4;

    /// <summary>Sessions held at each step of scenario 1; steps past the entrance's open-file limit are not tried.</summary>
    public int[] SessionSteps => Smoke ? [100, 200] : [5_000, 10_000, 20_000, 50_000, 100_000];
    public TimeSpan SessionHeartbeat => TimeSpan.FromSeconds(Smoke ? 2 : 10);
    /// <summary>How long each step is held and measured after its sessions opened.</summary>
    public TimeSpan SessionHold => TimeSpan.FromSeconds(Smoke ? 4 : 30);
    public int SessionRampPerSecond => Smoke ? 200 : 1000;

    /// <summary>Length of each closed-loop and wrk measurement.</summary>
    public TimeSpan Measure => TimeSpan.FromSeconds(Smoke ? 2 : 10);
    public int[] ExchangeConcurrency => [1, 16, 64];

    public int[] SearchSizes => Smoke ? [500] : [10_000, 100_000, 1_000_000];
    public int SearchConcurrency => 16;

    public int PlacementSegments => Smoke ? 6 : 120;

    /// <summary>Viewers (scenario 8): simulated HLS viewers, boxes, how often one leaves or freezes, how long they watch, segment size.</summary>
    public int Viewers => Smoke ? 6 : 200;
    public int ViewerBoxes => Smoke ? 3 : 10;
    public TimeSpan ViewerChurn => TimeSpan.FromSeconds(Smoke ? 4 : 10);
    public TimeSpan ViewerWatch => TimeSpan.FromSeconds(Smoke ? 10 : 60);
    public int ViewerSegmentBytes => Smoke ? 100_000 : 250_000;

    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var smoke = false;
        var scenarios = new List<string>();
        string? output = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--smoke":
                    smoke = true;
                    break;
                case "--scenario" when i + 1 < args.Count:
                    foreach (var name in args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        var match = int.TryParse(name, out var n) && n >= 1 && n <= AllScenarios.Length ? AllScenarios[n - 1] : name.ToLowerInvariant();
                        if (!AllScenarios.Contains(match))
                            throw new ArgumentException($"--scenario: '{name}' is none of {string.Join(", ", AllScenarios)} (or 1-8).");
                        scenarios.Add(match);
                    }
                    break;
                case "--output" when i + 1 < args.Count:
                    output = args[++i];
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'. Usage: benchmark.sh [--smoke] [--scenario NAME[,NAME]] [--output FILE]");
            }
        }
        return new BenchmarkOptions
        {
            Smoke = smoke,
            Scenarios = scenarios.Count == 0 ? AllScenarios : AllScenarios.Where(scenarios.Contains).ToList(),
            Output = output,
        };
    }
}
