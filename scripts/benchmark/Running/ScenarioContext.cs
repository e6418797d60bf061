using System.Globalization;
using Dandelion.Benchmark.Load;
using Dandelion.Benchmark.Seeding;

namespace Dandelion.Benchmark.Running;

/// <summary>What every scenario is given: the options, the report, where its processes run, and shared set-up.</summary>
internal sealed class ScenarioContext(BenchmarkOptions options, Report report, string runDirectory) : IAsyncDisposable
{
    private Places? _places;
    private NetworkBed? _network;

    public BenchmarkOptions Options { get; } = options;
    public Report Report { get; } = report;

    /// <summary>Public addresses for simulated nodes, drawn once per run.</summary>
    public Places Places(string geoIpDatabase) => _places ??= Seeding.Places.Draw(geoIpDatabase, Options.Smoke ? 2_000 : 20_000);

    public Testbed NewTestbed(string scenario) => Testbed.Create(Path.Combine(runDirectory, scenario));

    public Task<WorkerPool> StartWorkersAsync(string[] ips, string logDirectory) => WorkerPool.StartAsync(Options.Workers, ips, logDirectory);

    /// <summary>Entrance, two boxes and a publisher with R=2, shared by scenarios 4 to 6.</summary>
    public async Task<NetworkBed> NetworkAsync(CancellationToken cancellationToken) =>
        _network ??= await NetworkBed.StartAsync(NewTestbed("network"), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_network is not null)
            await _network.DisposeAsync();
    }

    public static string N(double value) => value.ToString("N0", CultureInfo.InvariantCulture);
    public static string Ms(double value) => value.ToString(value < 10 ? "0.00" : "0", CultureInfo.InvariantCulture) + " ms";
}
