using System.Collections.Concurrent;
using System.Diagnostics;

namespace Dandelion.LocalNetwork;

/// <summary>
/// Starts every child from one thread that lives as long as this process, each through
/// <c>setsid setpriv --pdeathsig KILL</c> (util-linux):
/// <list type="bullet">
/// <item><c>setsid</c> puts the child in its own session, so the terminal's Ctrl-C reaches only
/// the orchestrator, which then stops the children in order.</item>
/// <item><c>--pdeathsig KILL</c> has the kernel kill the child when its parent dies, even by
/// SIGKILL. The kernel ties that to the parent <em>thread</em> that forked it, which is why
/// children are started from this dedicated thread rather than from the thread pool, whose
/// threads come and go.</item>
/// </list>
/// Both tools exec the program in place, so the process started is the program itself.
/// </summary>
internal sealed class ProcessLauncher
{
    public static ProcessLauncher Instance { get; } = new();

    private readonly BlockingCollection<(ProcessStartInfo Start, TaskCompletionSource<Process> Started)> _requests = [];

    private ProcessLauncher()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "child-process launcher" };
        thread.Start();
    }

    /// <summary>True when util-linux's <c>setsid</c> and <c>setpriv</c> are there (always on Debian).</summary>
    public static bool Wraps { get; } = File.Exists("/usr/bin/setsid") && File.Exists("/usr/bin/setpriv");

    public Task<Process> StartAsync(string executable, IEnumerable<string> arguments, string workingDirectory, IDictionary<string, string>? environment = null)
    {
        var start = Wraps ? new ProcessStartInfo("/usr/bin/setsid") : new ProcessStartInfo(executable);
        if (Wraps)
        {
            foreach (var argument in new[] { "/usr/bin/setpriv", "--pdeathsig", "KILL", "--", executable })
                start.ArgumentList.Add(argument);
        }
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.WorkingDirectory = workingDirectory;
        start.UseShellExecute = false;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;

        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        _requests.Add((start, started));
        return started.Task;
    }

    private void Run()
    {
        foreach (var (start, started) in _requests.GetConsumingEnumerable())
        {
            try
            {
                started.SetResult(Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start."));
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                started.SetException(ex);
            }
        }
    }
}
