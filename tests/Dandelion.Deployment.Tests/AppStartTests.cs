using Dandelion.Testing;

namespace Dandelion.Deployment.Tests;

/// <summary>
/// Each app starts from config.example.yaml with only what a deployment must change
/// (ports, data directories, Redis), and the <c>healthcheck</c> verb the container health
/// checks run says what a Docker engine would see.
/// </summary>
public sealed class AppStartTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("dandelion-deploy-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task The_entrance_starts_from_the_example_as_compose_runs_it_and_is_unhealthy_without_Redis()
    {
        await using var redis = await RedisServer.StartAsync();
        var port = FreePort.Next();
        // As docker-compose.yml sets it: the port from ASPNETCORE_HTTP_PORTS, read by the app and the probe alike.
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_HTTP_PORTS"] = port.ToString(),
            ["DANDELION_Entrance__Redis"] = redis.ConnectionString,
            ["DANDELION_Entrance__DataDirectory"] = Path.Combine(_data, "entrance"),
            ["DANDELION_Entrance__KeyPrefix"] = "deploy-" + Guid.NewGuid().ToString("N"),
        };
        string[] args = ["--config", "config.example.yaml"];

        var (before, _) = await AppProcess.ProbeAsync(App.Entrance, args, environment);
        Assert.Equal(1, before); // nothing listens yet

        await using var entrance = AppProcess.Start(App.Entrance, args, environment);
        var healthy = await entrance.ProbeUntilAsync(App.Entrance, args, 0, environment);
        Assert.Contains($"http://127.0.0.1:{port}/health answered 200", healthy);

        await redis.StopAsync();
        var unhealthy = await entrance.ProbeUntilAsync(App.Entrance, args, 1, environment);
        Assert.Contains("answered 503", unhealthy);
    }

    [Fact]
    public async Task The_box_starts_from_the_example_and_the_probe_finds_its_port()
    {
        var port = FreePort.Next();
        string[] args =
        [
            "--config", "config.example.yaml",
            $"--Box:Port={port}", $"--Box:HttpPort={FreePort.Next()}", "--Box:ListenAddress=127.0.0.1",
            $"--Box:DataDirectory={Path.Combine(_data, "box")}",
        ];
        await using var box = AppProcess.Start(App.Box, args);
        var healthy = await box.ProbeUntilAsync(App.Box, args, 0);
        Assert.Contains($"http://127.0.0.1:{port}/health answered 200", healthy);
    }

    [Fact]
    public async Task With_telemetry_options_the_box_logs_json_lines_and_serves_prometheus_metrics_on_its_control_port()
    {
        var port = FreePort.Next();
        var httpPort = FreePort.Next();
        string[] args =
        [
            "--config", "config.example.yaml",
            $"--Box:Port={port}", $"--Box:HttpPort={httpPort}", "--Box:ListenAddress=127.0.0.1",
            $"--Box:DataDirectory={Path.Combine(_data, "box")}",
            "--Box:Telemetry:LogFormat=json", "--Box:Telemetry:Prometheus=true",
        ];
        await using var box = AppProcess.Start(App.Box, args);
        await box.ProbeUntilAsync(App.Box, args, 0);

        using var http = new HttpClient();
        var metrics = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
        // An idle box has measured nothing of its own yet (the end-to-end PrometheusTests read those);
        // ASP.NET Core has (the probes' requests) and the runtime has.
        Assert.Contains("http_server_request_duration_seconds", metrics);
        Assert.Contains("dotnet_gc_collections_total", metrics);
        // Never on the file port, which viewers reach.
        using var onFilePort = await http.GetAsync($"http://127.0.0.1:{httpPort}/metrics");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, onFilePort.StatusCode);

        var lines = box.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var started = lines.Select(TryJson).OfType<System.Text.Json.JsonElement>()
            .FirstOrDefault(l => l.TryGetProperty("Category", out var c) && c.GetString() == "Microsoft.Hosting.Lifetime");
        Assert.True(started.ValueKind == System.Text.Json.JsonValueKind.Object, "No JSON log line from the host:\n" + box.Output);
        Assert.Equal("Information", started.GetProperty("LogLevel").GetString());
    }

    [Fact]
    public async Task A_bad_telemetry_value_stops_the_app_naming_the_key()
    {
        string[] args =
        [
            "--config", "config.example.yaml", $"--Box:Port={FreePort.Next()}", $"--Box:HttpPort={FreePort.Next()}",
            "--Box:ListenAddress=127.0.0.1", $"--Box:DataDirectory={Path.Combine(_data, "box")}", "--Box:Telemetry:LogFormat=xml",
        ];
        await using var box = AppProcess.Start(App.Box, args);
        Assert.True(await box.ExitsWithinAsync(TimeSpan.FromMinutes(2)), "the box did not stop on a bad Box:Telemetry:LogFormat");
        Assert.Contains("Box:Telemetry:LogFormat must be 'text' or 'json'", box.Output);
    }

    [Theory]
    [InlineData("Box", "--Box:Port=70000", "Box:Port must be a TCP port")]
    [InlineData("Box", "--Box:Location:Latitude=52.52", "Box:Location:Longitude must be set with Latitude")]
    [InlineData("Publisher", "--Publisher:Replication=0", "Publisher:Replication")]
    public async Task A_refused_configuration_stops_the_app_with_exit_2_naming_the_key_and_no_stack_trace(string app, string bad, string said)
    {
        // As the entrance does (issue 14): a refused setting is the owner's to fix, not a crash (exit 134, a stack trace).
        string[] args = app == "Box"
            ? ["--config", "config.example.yaml", $"--Box:Port={FreePort.Next()}", $"--Box:HttpPort={FreePort.Next()}",
               "--Box:ListenAddress=127.0.0.1", $"--Box:DataDirectory={Path.Combine(_data, "box")}", bad]
            : ["--config", "config.example.yaml", $"--Publisher:Port={FreePort.Next()}", $"--Publisher:DataDirectory={Path.Combine(_data, "publisher")}", bad];
        await using var process = AppProcess.Start(app == "Box" ? App.Box : App.Publisher, args);
        Assert.True(await process.ExitsWithinAsync(TimeSpan.FromMinutes(2)), $"the {app} did not stop on {bad}");
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("Configuration refused; nothing was started:", process.Output);
        Assert.Contains(said, process.Output);
        Assert.DoesNotContain("Unhandled exception", process.Output);
    }

    private static System.Text.Json.JsonElement? TryJson(string line)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(line);
            return document.RootElement.Clone();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    [Fact]
    public async Task The_publisher_starts_from_the_example_and_the_probe_finds_its_port()
    {
        var port = FreePort.Next();
        string[] args = ["--config", "config.example.yaml", $"--Publisher:DataDirectory={Path.Combine(_data, "publisher")}"];
        var environment = new Dictionary<string, string> { ["DANDELION_Publisher__Port"] = port.ToString() };
        await using var publisher = AppProcess.Start(App.Publisher, args, environment);
        var healthy = await publisher.ProbeUntilAsync(App.Publisher, args, 0, environment);
        Assert.Contains($"http://127.0.0.1:{port}/health answered 200", healthy);
    }

    [Fact]
    public async Task The_probe_asks_an_explicit_url_and_fails_when_nothing_answers()
    {
        var (code, output) = await AppProcess.ProbeAsync(App.Box, [$"http://127.0.0.1:{FreePort.Next()}/health"]);
        Assert.Equal(1, code);
        Assert.StartsWith("unhealthy:", output);
    }

    [Theory]
    // ASP.NET Core's wildcard hosts ("+", "*", "0.0.0.0", "[::]") are asked on loopback.
    [InlineData("http://+:{0}", 200, 0)]
    [InlineData("http://0.0.0.0:{0};http://127.0.0.1:1", 200, 0)]
    [InlineData("http://[::]:{0}/", 200, 0)]
    // Anything but 200 is unhealthy: a degraded or failing /health answers 503.
    [InlineData("http://*:{0}", 503, 1)]
    public async Task The_probe_reads_the_port_from_urls_and_wants_200(string urls, int status, int expected)
    {
        var port = FreePort.Next();
        using var listener = new System.Net.HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var answering = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            context.Response.StatusCode = status;
            context.Response.Close();
            return context.Request.Url!.AbsolutePath;
        });

        var (code, output) = await AppProcess.ProbeAsync(App.Entrance, ["--urls", string.Format(urls, port)]);

        Assert.True(code == expected, output);
        Assert.Equal("/health", await answering);
    }
}
