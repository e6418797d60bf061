using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Dandelion.LocalNetwork;
using Xunit.Abstractions;

namespace Dandelion.EndToEnd.Tests;

/// <summary>
/// Debian's <c>prometheus</c> (scripts/setup.sh) scrapes the network as <c>./scripts/run-local.sh</c>
/// starts it, and Dandelion's own metrics come back through Prometheus's HTTP API: what an
/// operator's Prometheus would see (docs/OPERATIONS.md).
/// </summary>
public sealed class PrometheusTests(ITestOutputHelper output)
{
    private const string Executable = "/usr/bin/prometheus";
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Prometheus_scrapes_every_process_and_reads_dandelion_metrics_back()
    {
        Assert.True(File.Exists(Executable), $"{Executable} is missing: run ./scripts/setup.sh.");
        var run = Directory.CreateTempSubdirectory("dandelion-prometheus-").FullName;
        var passed = false;
        await using (var network = await Network.StartAsync(new LocalNetworkOptions { RunDirectory = run }))
        {
            try
            {
                await network.WaitUntilStreamingAsync(Generous, segments: 1);
                var port = FreeLoopbackPort();
                var directory = Directory.CreateDirectory(Path.Combine(run, "prometheus")).FullName;
                var config = Path.Combine(directory, "prometheus.yml");
                await File.WriteAllTextAsync(config, Config(network));
                var prometheus = await network.StartProcessAsync("prometheus", Executable,
                [
                    $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}",
                    $"--web.listen-address=127.0.0.1:{port}",
                ]);
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };

                // Every target up: the entrance, each box, the publisher.
                var targets = network.MetricsEndpoints.Count;
                await Eventually.Until(async () => await ScalarAsync(http, "count(up == 1)") == targets,
                    $"Prometheus to scrape all {targets} targets (prometheus running: {!prometheus.HasExited})", Generous);

                // Dandelion's own metrics, one from each program.
                var exchanges = 0.0;
                await Eventually.Until(async () => (exchanges = await ScalarAsync(http, "sum(dandelion_entrance_exchanges_total)") ?? 0) > 0,
                    "the entrance's EXCHANGE count in Prometheus", Generous);
                var sessions = await ScalarAsync(http, "sum(dandelion_box_entrance_sessions)");
                Assert.Equal(network.Boxes.Count, sessions);
                double placed = 0;
                await Eventually.Until(async () => (placed = await ScalarAsync(http, "sum(dandelion_publisher_placement_bytes_total)") ?? 0) > 0,
                    "the publisher's placed bytes in Prometheus", Generous);
                // ASP.NET Core's and the runtime's metrics are exported too.
                Assert.True(await ScalarAsync(http, "count(http_server_request_duration_seconds_count)") > 0);
                Assert.True(await ScalarAsync(http, "count(dotnet_gc_collections_total)") > 0);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{exchanges} exchanges, {sessions} box sessions, {placed} bytes placed, as Prometheus read them"));
                passed = true;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw new Xunit.Sdk.XunitException($"{ex.Message}\n\nRun directory (kept): {run}\n{network.Tails()}", ex);
            }
        }
        if (passed)
            Directory.Delete(run, recursive: true);
    }

    private static string Config(Network network)
    {
        var text = new StringBuilder("""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:

            """);
        foreach (var job in network.MetricsEndpoints.GroupBy(e => e.Job))
        {
            text.Append(CultureInfo.InvariantCulture, $"  - job_name: {job.Key}\n    metrics_path: {job.First().Url.AbsolutePath}\n    static_configs:\n      - targets: [");
            text.Append(string.Join(", ", job.Select(e => $"'{e.Url.Authority}'")));
            text.Append("]\n");
        }
        return text.ToString();
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A PromQL query's single value through <c>/api/v1/query</c>; null when it has none yet.</summary>
    private static async Task<double?> ScalarAsync(HttpClient http, string query)
    {
        try
        {
            using var answer = await http.GetFromJsonAsync<JsonDocument>($"api/v1/query?query={Uri.EscapeDataString(query)}");
            var result = answer!.RootElement.GetProperty("data").GetProperty("result");
            if (result.GetArrayLength() == 0)
                return null;
            return double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException)
        {
            return null; // not up yet
        }
    }
}
