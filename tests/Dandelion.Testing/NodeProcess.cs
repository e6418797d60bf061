using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Dandelion.Testing;

/// <summary>
/// A real entrance or box process, run from its build output (<c>{App}/bin/{configuration}/net10.0</c>,
/// built with the test project that references the app) on free loopback ports, so it can be
/// killed as a crash would (SIGKILL: sockets drop, nothing is said).
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly string _dataDirectory;

    private NodeProcess(Process process, int port, string dataDirectory)
    {
        _process = process;
        Port = port;
        _dataDirectory = dataDirectory;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The entrance's port, or the box's file server port.</summary>
    public int Port { get; }
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;
    public Uri Http => new($"http://127.0.0.1:{Port}/");
    public Uri WebSocket => new($"ws://127.0.0.1:{Port}/dandelion/ws/");
    public string Output => string.Join('\n', _output.TakeLast(60));

    /// <summary>An entrance with <c>Entrance:*</c> settings beyond Redis, prefix, data directory and GeoIP; ready when <c>/alive</c> answers.</summary>
    public static Task<NodeProcess> StartEntranceAsync(string redis, string prefix, IReadOnlyDictionary<string, string>? settings = null, int? port = null)
    {
        var all = new Dictionary<string, string>
        {
            ["Entrance:Redis"] = redis,
            ["Entrance:KeyPrefix"] = prefix,
            ["Entrance:GeoIp:CityDatabase"] = RepositoryPaths.GeoLiteCity,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            all[key] = value;
        TestCredentials.AddEntranceDefaults(all);
        return StartAsync("Entrance", port ?? FreePort.Next(), all, "alive");
    }

    /// <summary>A box reporting to <paramref name="entrances"/>; ready when its file server answers.</summary>
    public static Task<NodeProcess> StartBoxAsync(IEnumerable<Uri> entrances, IReadOnlyDictionary<string, string>? settings = null)
    {
        var httpPort = FreePort.Next();
        var all = new Dictionary<string, string>
        {
            ["Box:ListenAddress"] = "127.0.0.1",
            ["Box:PublicHost"] = "127.0.0.1",
            ["Box:Port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Box:HttpPort"] = httpPort.ToString(CultureInfo.InvariantCulture),
            ["Box:ReconnectMaxDelay"] = "00:00:01",
        };
        var i = 0;
        foreach (var entrance in entrances)
            all[$"Box:Entrances:{i++}"] = entrance.ToString();
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            all[key] = value;
        // Enrolled as an operator would, unless the test hands it a token of its own.
        return StartAsync("Box", httpPort, all, "", all.ContainsKey("Box:Token") ? null : data => TestCredentials.Enrol(data, Dandelion.Shared.Identity.NodeRole.Box));
    }

    /// <param name="prepare">Run on the data directory before the process starts.</param>
    private static async Task<NodeProcess> StartAsync(string app, int port, Dictionary<string, string> settings, string readyPath, Action<string>? prepare = null)
    {
        var data = Directory.CreateTempSubdirectory($"dandelion-{app.ToLowerInvariant()}-").FullName;
        prepare?.Invoke(data);
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var dll = RepositoryPaths.RequireFile(Path.Combine(RepositoryPaths.Root, app, "bin", configuration, "net10.0", $"Dandelion.{app}.dll"));
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        start.ArgumentList.Add(dll);
        if (app == "Entrance")
        {
            start.ArgumentList.Add("--urls");
            start.ArgumentList.Add($"http://127.0.0.1:{port}");
        }
        foreach (var variable in start.Environment.Keys.Where(k => k.StartsWith("DANDELION_", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(variable);
        var all = new Dictionary<string, string>
        {
            [$"{app}:DataDirectory"] = data,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings)
            all[key] = value;
        foreach (var (key, value) in all)
            start.Environment["DANDELION_" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"the {app} did not start.");
        var node = new NodeProcess(process, port, data);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"the {app} exited with {process.ExitCode}:\n{node.Output}");
            try
            {
                using var alive = await http.GetAsync(new Uri(node.Http, readyPath));
                if ((int)alive.StatusCode < 500)
                    return node;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        await node.DisposeAsync();
        throw new TimeoutException($"the {app} did not answer within 60 s:\n{node.Output}");
    }

    /// <summary>Resident memory, bytes (Linux <c>/proc</c>).</summary>
    public long ResidentBytes() =>
        long.Parse(File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;

    /// <summary>CPU time used so far (user + system).</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>SIGKILL, as a crash would.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
    }
}
