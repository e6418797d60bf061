namespace Dandelion.Benchmark.Viewing;

/// <summary>What all simulated viewers of one run saw: segment bytes by who served them, fetches that failed, time to first segment.</summary>
internal sealed class ViewerTally
{
    private readonly Lock _gate = new();
    private readonly List<double> _firstSegmentMs = [];
    private long _boxBytes;
    private long _originBytes;
    private long _segments;
    private long _firstTryFailures;
    private long _failedAfterRetry;

    public long BoxBytes => Interlocked.Read(ref _boxBytes);
    public long OriginBytes => Interlocked.Read(ref _originBytes);
    public long Segments => Interlocked.Read(ref _segments);
    public long FirstTryFailures => Interlocked.Read(ref _firstTryFailures);
    public long FailedAfterRetry => Interlocked.Read(ref _failedAfterRetry);

    /// <summary>Share of segment bytes that came from a box (null before any arrived).</summary>
    public double? BoxShare => BoxBytes + OriginBytes == 0 ? null : (double)BoxBytes / (BoxBytes + OriginBytes);

    public void Loaded(long bytes, bool fromBox)
    {
        Interlocked.Increment(ref _segments);
        Interlocked.Add(ref fromBox ? ref _boxBytes : ref _originBytes, bytes);
    }

    public void FirstTryFailed() => Interlocked.Increment(ref _firstTryFailures);
    public void Failed() => Interlocked.Increment(ref _failedAfterRetry);

    public void FirstSegment(TimeSpan after)
    {
        lock (_gate)
            _firstSegmentMs.Add(after.TotalMilliseconds);
    }

    /// <summary>The time-to-first-segment percentile (0..1) in ms; NaN when no viewer got one.</summary>
    public double FirstSegmentMs(double percentile)
    {
        lock (_gate)
        {
            if (_firstSegmentMs.Count == 0)
                return double.NaN;
            var sorted = _firstSegmentMs.Order().ToList();
            return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile * sorted.Count) - 1)];
        }
    }

    public int Viewers
    {
        get
        {
            lock (_gate)
                return _firstSegmentMs.Count;
        }
    }
}
