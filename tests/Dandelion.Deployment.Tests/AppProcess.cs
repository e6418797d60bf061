using System.Collections.Concurrent;
using System.Diagnostics;
using Dandelion.Testing;

namespace Dandelion.Deployment.Tests;

/// <summary>One of the apps run from its build output as its own process, from the repository root.</summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private AppProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output => string.Join('\n', _output);
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public static AppProcess Start(App app, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null) =>
        new(Process.Start(StartInfo(app, args, environment)) ?? throw new InvalidOperationException($"{app.Name} did not start."));

    /// <summary>
    /// A native program (the box as publish-box.sh builds it) as its own process, from the
    /// repository root; an arm64 one under qemu-user emulation when this machine is not arm64.
    /// </summary>
    public static AppProcess StartNative(string program, string arch, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var emulate = arch == "arm64" && System.Runtime.InteropServices.RuntimeInformation.OSArchitecture != System.Runtime.InteropServices.Architecture.Arm64;
        var start = Clean(new ProcessStartInfo(emulate ? "qemu-aarch64-static" : program), environment);
        if (emulate)
            start.ArgumentList.Add(program);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        return new(Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start."));
    }

    /// <summary>Runs <c>Dandelion.{App} healthcheck …</c> to its end: its exit code and what it printed.</summary>
    public static async Task<(int ExitCode, string Output)> ProbeAsync(App app, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Process.Start(StartInfo(app, ["healthcheck", .. args], environment))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Probes until the probe says 0 (or <paramref name="wanted"/>), failing with both outputs after a while.</summary>
    public async Task<string> ProbeUntilAsync(App app, IEnumerable<string> args, int wanted, IReadOnlyDictionary<string, string>? environment = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{app.Name} exited with {_process.ExitCode}:\n{Output}");
            var (code, output) = await ProbeAsync(app, args, environment);
            last = output;
            if (code == wanted)
                return output;
            await Task.Delay(500);
        }
        throw new TimeoutException($"the probe never exited {wanted}; last: {last}\n{app.Name}:\n{Output}");
    }

    /// <summary>Waits for the process to end by itself, and for its output to be read to the end.</summary>
    public async Task<bool> ExitsWithinAsync(TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Waits until <paramref name="url"/> answers 2xx, failing with the output if the process ends first.</summary>
    public async Task WaitForAsync(string url, string what)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(180); // an emulated start on a busy machine is slow
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{what} exited with {_process.ExitCode}:\n{Output}");
            try
            {
                using var response = await client.GetAsync(url);
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{what} never answered {url}:\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private static ProcessStartInfo StartInfo(App app, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment)
    {
        var start = Clean(new ProcessStartInfo("dotnet"), environment);
        start.ArgumentList.Add(RepositoryPaths.RequireFile(app.Dll));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        return start;
    }

    private static ProcessStartInfo Clean(ProcessStartInfo start, IReadOnlyDictionary<string, string>? environment)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.WorkingDirectory = RepositoryPaths.Root;
        // Only what the test says: nothing from the environment it runs in.
        foreach (var variable in start.Environment.Keys.Where(k => k.StartsWith("DANDELION_", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(variable);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        return start;
    }
}
