using System.Diagnostics;
using Dandelion.Benchmark.Measuring;

namespace Dandelion.Benchmark.Load;

/// <summary>What a worker counts between two resets; updated from many connections at once.</summary>
internal sealed class LoadCounters
{
    private LatencyHistogram _latency = new();
    private long _due, _answered, _inTime, _errors, _since = Stopwatch.GetTimestamp();
    private string? _firstError;

    public void Due() => Interlocked.Increment(ref _due);

    public void Answered(long startedTimestamp, TimeSpan inTimeLimit)
    {
        var elapsed = Stopwatch.GetElapsedTime(startedTimestamp);
        _latency.Record((long)(elapsed.Ticks / 10));
        Interlocked.Increment(ref _answered);
        if (elapsed <= inTimeLimit)
            Interlocked.Increment(ref _inTime);
    }

    public void Error(string what)
    {
        Interlocked.Increment(ref _errors);
        Interlocked.CompareExchange(ref _firstError, what, null);
    }

    public void Reset()
    {
        _latency = new LatencyHistogram();
        _due = _answered = _inTime = _errors = 0;
        _firstError = null;
        _since = Stopwatch.GetTimestamp();
    }

    public WorkerReport Report(long open) =>
        new(open, _due, _answered, _inTime, _errors, Stopwatch.GetElapsedTime(_since).TotalSeconds, _latency.Counts, _firstError);
}
