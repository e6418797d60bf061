namespace Dandelion.Shared.Connections;

/// <summary>
/// The first-message and idle timeouts of one connection, on one timer that moves only when it
/// fires early or when the first message is whole: bytes arriving cost a timestamp, not a timer.
/// </summary>
internal sealed class ConnectionDeadline(ConnectionLimits limits, TimeProvider time, Action<string> timedOut) : IAsyncDisposable
{
    private ITimer? _timer;
    private long _lastHeard = time.GetTimestamp();
    private volatile bool _heardFirst;

    public void Start()
    {
        if ((limits.FirstMessageTimeout ?? limits.IdleTimeout) is { } due)
            _timer = time.CreateTimer(static state => ((ConnectionDeadline)state!).OnTimer(), this, due, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Bytes arrived.</summary>
    public void Heard() => Volatile.Write(ref _lastHeard, time.GetTimestamp());

    /// <summary>A whole message arrived: from the first on, only the idle timeout applies.</summary>
    public void HeardWhole()
    {
        Heard();
        if (_heardFirst)
            return;
        _heardFirst = true;
        // Without a first-message timeout the timer already counts idleness.
        if (limits.FirstMessageTimeout is not null)
            Change(limits.IdleTimeout ?? Timeout.InfiniteTimeSpan);
    }

    public ValueTask DisposeAsync() => _timer?.DisposeAsync() ?? default;

    private void OnTimer()
    {
        if (!_heardFirst && limits.FirstMessageTimeout is { } first)
        {
            timedOut($"no whole first message within {first.TotalSeconds:0.#} s.");
            return;
        }
        if (limits.IdleTimeout is not { } idle)
            return;
        var quiet = time.GetElapsedTime(Volatile.Read(ref _lastHeard));
        if (quiet >= idle)
            timedOut($"nothing received for {idle.TotalSeconds:0.#} s.");
        else
            Change(idle - quiet);
    }

    private void Change(TimeSpan due)
    {
        try
        {
            _timer?.Change(due, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // The connection ended meanwhile.
        }
    }
}
