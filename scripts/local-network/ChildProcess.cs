using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Dandelion.LocalNetwork;

/// <summary>
/// One process the local network started: its output goes to <c>{run}/logs/{name}.log</c>, and it
/// is stopped with SIGTERM, then SIGKILL for it and anything it started if it lingers.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private const int SigCont = 18;
    private const int SigStop = 19;
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logGate = new();

    private ChildProcess(Process process, string name, string logPath)
    {
        _process = process;
        Name = name;
        LogPath = logPath;
        _log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Nothing is ever typed to a child; a closed stdin also tells ffmpeg not to wait for keys.
        process.StandardInput.Close();
    }

    public string Name { get; }
    public string LogPath { get; }
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    internal static async Task<ChildProcess> StartAsync(string name, string executable, IEnumerable<string> arguments,
        string workingDirectory, string logDirectory, IDictionary<string, string>? environment = null)
    {
        var process = await ProcessLauncher.Instance.StartAsync(executable, arguments, workingDirectory, environment);
        return new ChildProcess(process, name, Path.Combine(logDirectory, name + ".log"));
    }

    /// <summary>The end of its log, for an error message.</summary>
    public string Tail(int lines = 30)
    {
        lock (_logGate)
        {
            _log.Flush();
            try
            {
                using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
                var all = reader.ReadToEnd().Split('\n');
                return string.Join('\n', all.TakeLast(lines));
            }
            catch (IOException)
            {
                return "(no log)";
            }
        }
    }

    /// <summary>SIGKILL, as a crash or a pulled plug would: sockets drop, nothing is flushed.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>SIGSTOP: the process freezes with its sockets open, as a hung device would; nothing it holds is closed.</summary>
    public void Freeze()
    {
        if (!_process.HasExited)
            _ = kill(_process.Id, SigStop);
    }

    /// <summary>SIGCONT: a frozen process goes on where it stopped.</summary>
    public void Thaw()
    {
        if (!_process.HasExited)
            _ = kill(_process.Id, SigCont);
    }

    /// <summary>SIGTERM and a grace period to shut down cleanly, then SIGKILL.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
            return;
        _ = kill(_process.Id, SigTerm);
        _ = kill(_process.Id, SigCont); // a frozen process acts on SIGTERM only once it runs
        using var grace = new CancellationTokenSource(GracePeriod);
        try
        {
            await _process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        // Let the output readers reach the end of the streams before the log closes.
        await _process.WaitForExitAsync();
        _process.Dispose();
        lock (_logGate)
            _log.Dispose();
    }

    private void Write(string? line)
    {
        if (line is null)
            return;
        lock (_logGate)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
