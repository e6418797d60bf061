using System.Collections.Concurrent;
using System.Diagnostics;
using Dandelion.Testing;

namespace Dandelion.Publisher.Tests.RealNodes;

/// <summary>
/// A real entrance or box, run as its own process from its build output, so a test can
/// kill it as a crash would. Its output is kept for the failure message.
/// </summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private NodeProcess(Process process, string name)
    {
        _process = process;
        Name = name;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }
    public bool HasExited => _process.HasExited;
    public string Output => string.Join('\n', _output);

    /// <summary>Starts <c>{project}/bin/{configuration}/net10.0/Dandelion.{project}.dll</c> with these settings.</summary>
    public static NodeProcess Start(string project, string name, IDictionary<string, string> settings, string workingDirectory)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var dll = Path.Combine(RepositoryPaths.Root, project, "bin", configuration, "net10.0", $"Dandelion.{project}.dll");
        RepositoryPaths.RequireFile(dll);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(dll);
        foreach (var (key, value) in settings)
            start.ArgumentList.Add($"--{key}={value}");
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        return new NodeProcess(Process.Start(start) ?? throw new InvalidOperationException($"{project} did not start."), name);
    }

    /// <summary>Waits until <paramref name="url"/> answers 2xx.</summary>
    /// <param name="tls">For an https URL: the test CA that issued the node's certificate.</param>
    public async Task WaitReadyAsync(string url, TestCertificates? tls = null)
    {
        using var client = new HttpClient(tls?.Trusting() ?? new HttpClientHandler()) { Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.Until(async () =>
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}:\n{Output}");
            try
            {
                using var response = await client.GetAsync(url);
                return response.IsSuccessStatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, $"{Name} to answer {url}");
    }

    /// <summary>SIGSTOP: the process hangs as a frozen device would, its sockets open and nothing answered.</summary>
    public void Freeze() => Signal(SigStop);

    /// <summary>SIGCONT: a frozen process runs on.</summary>
    public void Thaw() => Signal(SigCont);

    private const int SigCont = 18;
    private const int SigStop = 19;

    private void Signal(int signal)
    {
        if (!_process.HasExited && Kill(_process.Id, signal) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}.");
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>Kills it as a crash would: sockets drop, nothing is flushed.</summary>
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
    }

    private void Keep(string? line)
    {
        if (line is null)
            return;
        _output.Enqueue(line);
        while (_output.Count > 400)
            _output.TryDequeue(out _);
    }
}
