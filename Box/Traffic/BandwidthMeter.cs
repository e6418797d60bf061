namespace Dandelion.Box.Traffic;

/// <summary>Bytes sent per second over a sliding window of whole seconds, in one-second buckets.</summary>
internal sealed class BandwidthMeter(TimeProvider time)
{
    private const int Buckets = 120;
    private readonly long[] _bytes = new long[Buckets];
    private readonly long[] _second = new long[Buckets];
    private readonly object _gate = new();

    public void Add(long bytes)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        lock (_gate)
        {
            var slot = (int)(now % Buckets);
            if (_second[slot] != now)
            {
                _second[slot] = now;
                _bytes[slot] = 0;
            }
            _bytes[slot] += bytes;
        }
    }

    /// <summary>Average bytes per second over the last <paramref name="window"/> of whole seconds (at most two minutes); the current, partial second is left out.</summary>
    public long BytesPerSecond(TimeSpan window)
    {
        var seconds = Math.Clamp((long)Math.Ceiling(window.TotalSeconds), 1, Buckets - 1);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        long total = 0;
        lock (_gate)
        {
            for (var i = 0; i < Buckets; i++)
            {
                if (_second[i] >= now - seconds && _second[i] < now)
                    total += _bytes[i];
            }
        }
        return total / seconds;
    }
}
