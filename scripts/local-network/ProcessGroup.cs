using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Dandelion.LocalNetwork;

/// <summary>
/// The processes one run started, each logging to <c>{run}/logs/{name}.log</c>: Redis, the apps
/// from their build output, any other program. Waits for each to answer; stops them all, last
/// started first. <see cref="Network"/> (./scripts/run-local.sh) and the benchmark
/// (./scripts/benchmark.sh) both start their processes through this type.
/// </summary>
public sealed class ProcessGroup(string runDirectory, TimeSpan startTimeout) : IAsyncDisposable
{
    private readonly List<ChildProcess> _processes = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public string RunDirectory { get; } = Directory.CreateDirectory(runDirectory).FullName;
    public string LogDirectory { get; } = Directory.CreateDirectory(Path.Combine(runDirectory, "logs")).FullName;
    public IReadOnlyList<ChildProcess> Processes => _processes;

    public async Task<ChildProcess> StartAsync(string name, string executable, IEnumerable<string> arguments, string workingDirectory,
        IDictionary<string, string>? environment = null)
    {
        var process = await ChildProcess.StartAsync(name, executable, arguments, workingDirectory, LogDirectory, environment);
        _processes.Add(process);
        return process;
    }

    /// <summary>An app's dll, each setting as <c>--Key=value</c>, in <c>{run}/{name}/</c>; it logs as deployed (README.md, Configuration).</summary>
    public Task<ChildProcess> StartDotnetAsync(string name, string dll, Dictionary<string, string> settings)
    {
        var directory = Directory.CreateDirectory(Path.Combine(RunDirectory, name)).FullName;
        return StartAsync(name, "dotnet", [dll, .. settings.Select(s => $"--{s.Key}={s.Value}")], directory);
    }

    /// <summary>A Redis on a free loopback port, nothing written to disk; returns once it answers PING.</summary>
    public async Task<(ChildProcess Process, int Port)> StartRedisAsync(string name, IEnumerable<string>? extraArguments = null,
        CancellationToken cancellationToken = default)
    {
        var redisServer = FindExecutable("redis-server") ?? throw new InvalidOperationException("redis-server is not installed: run ./scripts/setup.sh.");
        var port = FreePort.Next();
        var directory = Directory.CreateDirectory(Path.Combine(RunDirectory, name)).FullName;
        var process = await StartAsync(name, redisServer,
            ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--daemonize", "no", "--dir", directory, "--protected-mode", "yes", .. extraArguments ?? []], directory);
        await WaitAsync(process, () => PingRedisAsync(port), $"Redis to answer PING on port {port}", cancellationToken);
        return (process, port);
    }

    /// <summary>Polls <paramref name="ready"/> until true; throws when the process exits or the start timeout passes.</summary>
    public async Task WaitAsync(ChildProcess process, Func<Task<bool>> ready, string what, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(startTimeout);
        try
        {
            while (!await ready())
            {
                if (process.HasExited)
                    throw new InvalidOperationException($"{process.Name} exited with {process.ExitCode} while waiting for {what}:\n{process.Tail()}");
                await Task.Delay(200, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Gave up waiting {startTimeout} for {what}:\n{process.Tail()}");
        }
    }

    /// <summary>True when a GET of <paramref name="url"/> answers with a success status.</summary>
    public async Task<bool> AnswersAsync(Uri url)
    {
        try
        {
            using var response = await _http.GetAsync(url);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    public static async Task<bool> PingRedisAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            return false;
        }
    }

    public static string? FindExecutable(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin").Append("/usr/bin")
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    /// <summary>The last lines each process wrote, for an error message.</summary>
    public string Tails(int lines = 15)
    {
        var text = new StringBuilder();
        foreach (var process in _processes)
            text.Append(CultureInfo.InvariantCulture, $"--- {process.Name} ({(process.HasExited ? $"exited {process.ExitCode}" : "running")}), {process.LogPath}\n{process.Tail(lines)}\n");
        return text.ToString();
    }

    /// <summary>Stops one process (SIGTERM, then SIGKILL) and forgets it.</summary>
    public async Task StopAsync(ChildProcess process)
    {
        _processes.Remove(process);
        await process.DisposeAsync();
    }

    /// <summary>Stops every process, last started first, each with SIGTERM then SIGKILL.</summary>
    public async ValueTask DisposeAsync()
    {
        for (var i = _processes.Count - 1; i >= 0; i--)
            await _processes[i].DisposeAsync();
        _processes.Clear();
        _http.Dispose();
    }
}
