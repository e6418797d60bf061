using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dandelion.Benchmark.Measuring;
using Dandelion.LocalNetwork;

namespace Dandelion.Benchmark.Load;

/// <summary>
/// Worker processes (<see cref="Worker"/>), started from this benchmark's own dll through the
/// local network's launcher (killed with it). A command is split between them: each gets its
/// share of sessions or clients, its own source addresses <c>127.{1+worker}.x.y</c> and its own
/// range of node ids; their reports add up.
/// </summary>
internal sealed class WorkerPool : IAsyncDisposable
{
    /// <summary>Ids of different workers never meet: each worker's ids start this far apart.</summary>
    private const long IdsPerWorker = 100_000_000;
    private readonly List<Process> _workers;
    private readonly string[] _ips;

    private WorkerPool(List<Process> workers, string[] ips)
    {
        _workers = workers;
        _ips = ips;
    }

    public int Count => _workers.Count;

    /// <param name="ips">Public addresses the simulated nodes report, spread over the workers.</param>
    public static async Task<WorkerPool> StartAsync(int count, string[] ips, string logDirectory)
    {
        var workers = new List<Process>();
        for (var i = 0; i < count; i++)
        {
            var process = await ProcessLauncher.Instance.StartAsync("dotnet", [typeof(Worker).Assembly.Location, "worker"], logDirectory);
            var log = new StreamWriter(Path.Combine(logDirectory, $"worker{i + 1}.log")) { AutoFlush = true };
            process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) lock (log) log.WriteLine(line); };
            process.BeginErrorReadLine();
            workers.Add(process);
        }
        return new WorkerPool(workers, ips);
    }

    /// <summary>Sends <paramref name="command"/> to every worker, each with its share of <c>Count</c> and <c>Concurrency</c>; returns the summed reports.</summary>
    public async Task<LoadResult> RunAsync(WorkerCommand command, TimeSpan timeout)
    {
        var replies = _workers.Select((worker, i) => AskAsync(worker, command with
        {
            Count = Share(command.Count, i),
            Concurrency = Math.Max(1, Share(command.Concurrency, i)),
            RampPerSecond = Math.Max(1, command.RampPerSecond / _workers.Count),
            Sources = command.Sources ?? Sources(i, 64),
            Ips = command.Ips ?? _ips,
            Seed = command.Seed + (i + 1) * IdsPerWorker,
        }, timeout)).ToList();
        var reports = await Task.WhenAll(replies);
        return LoadResult.Sum(reports);
    }

    /// <summary>For a closed loop at a concurrency lower than the worker count: only the first workers take part.</summary>
    public async Task<LoadResult> RunClosedAsync(WorkerCommand command)
    {
        var used = Math.Min(command.Concurrency, _workers.Count);
        var timeout = TimeSpan.FromSeconds(command.Seconds + 120);
        var replies = _workers.Take(used).Select((worker, i) => AskAsync(worker, command with
        {
            Concurrency = command.Concurrency / used + (i < command.Concurrency % used ? 1 : 0),
            Sources = Sources(i, 64),
            Ips = command.Ips ?? _ips,
            Seed = command.Seed + (i + 1) * IdsPerWorker,
        }, timeout)).ToList();
        return LoadResult.Sum(await Task.WhenAll(replies));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            try
            {
                worker.StandardInput.Close();
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                await worker.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                worker.Kill(entireProcessTree: true);
            }
            worker.Dispose();
        }
    }

    private int Share(int total, int worker) => total / _workers.Count + (worker < total % _workers.Count ? 1 : 0);

    private static string[] Sources(int worker, int count) =>
        Enumerable.Range(0, count).Select(j => string.Create(CultureInfo.InvariantCulture, $"127.{1 + worker}.{j / 250}.{1 + j % 250}")).ToArray();

    private static async Task<WorkerReport> AskAsync(Process worker, WorkerCommand command, TimeSpan timeout)
    {
        await worker.StandardInput.WriteLineAsync(JsonSerializer.Serialize(command, Worker.Json));
        await worker.StandardInput.FlushAsync();
        using var deadline = new CancellationTokenSource(timeout);
        var line = await worker.StandardOutput.ReadLineAsync(deadline.Token)
            ?? throw new InvalidOperationException($"A load worker exited (code {(worker.HasExited ? worker.ExitCode : -1)}); see its log.");
        return JsonSerializer.Deserialize<WorkerReport>(line, Worker.Json)!;
    }
}
