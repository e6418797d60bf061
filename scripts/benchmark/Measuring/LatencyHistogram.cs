using System.Numerics;

namespace Dandelion.Benchmark.Measuring;

/// <summary>
/// Latencies in microseconds, log-linear buckets (32 per power of two, about 3 % wide), safe to
/// record from many threads; histograms of several worker processes add up with <see cref="Add"/>.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int Sub = 32;
    private const int Size = (40 - 4) * Sub;

    public LatencyHistogram(long[]? counts = null) => Counts = counts ?? new long[Size];

    /// <summary>Count per bucket; sent between processes as it is.</summary>
    public long[] Counts { get; }

    public long Total => Counts.Sum();

    public void Record(long microseconds) => Interlocked.Increment(ref Counts[Index(Math.Max(0, microseconds))]);

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < Size; i++)
            Counts[i] += other.Counts[i];
    }

    /// <summary>The latency below which <paramref name="quantile"/> of the values lie, in milliseconds; NaN when empty.</summary>
    public double Percentile(double quantile)
    {
        var total = Total;
        if (total == 0)
            return double.NaN;
        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        long seen = 0;
        for (var i = 0; i < Size; i++)
        {
            seen += Counts[i];
            if (seen >= rank)
                return Middle(i) / 1000.0;
        }
        return Middle(Size - 1) / 1000.0;
    }

    private static int Index(long us)
    {
        if (us < Sub)
            return (int)us;
        var log = 63 - BitOperations.LeadingZeroCount((ulong)us);
        var mantissa = (int)(us >> (log - 5));
        return Math.Min(Size - 1, (log - 4) * Sub + mantissa - Sub);
    }

    private static double Middle(int index)
    {
        if (index < Sub)
            return index;
        var log = index / Sub + 4;
        var mantissa = index % Sub + Sub;
        return (mantissa + 0.5) * (1L << (log - 5));
    }
}
