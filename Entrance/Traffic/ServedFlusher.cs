using Dandelion.Entrance.Redis;

namespace Dandelion.Entrance.Traffic;

/// <summary>
/// Moves <see cref="ServedTally"/>'s counts to Redis (<see cref="ServedStore"/>) once per
/// <see cref="Interval"/> and as the entrance stops. A flush Redis refuses is put back and tried
/// again with the next one.
/// </summary>
internal sealed partial class ServedFlusher(ServedTally tally, ServedStore store, TimeProvider time, ILogger<ServedFlusher> logger)
    : TallyFlusher(Interval, time)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public override async Task FlushAsync()
    {
        var (counts, dropped) = tally.Take();
        if (dropped > 0)
            Log.Dropped(logger, dropped, ServedTally.MaxEntries);
        if (counts.Count == 0)
            return;
        try
        {
            await store.AddAsync(counts.GroupBy(c => c.Key.PublisherId, StringComparer.Ordinal));
        }
        catch (Exception ex) when (RedisResilience.IsOutage(ex))
        {
            Log.NotFlushed(logger, counts.Count, ex);
            tally.Return(counts);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Served counts of {Files} files not stored: Redis is unavailable; kept for the next flush.")]
        public static partial void NotFlushed(ILogger logger, int files, Exception exception);

        [LoggerMessage(2, LogLevel.Warning, "{Requests} served requests not attributed to a publisher: more than {Limit} files served within one flush.")]
        public static partial void Dropped(ILogger logger, long requests, int limit);
    }
}
