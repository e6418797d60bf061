using Dandelion.Entrance.Redis;

namespace Dandelion.Entrance.Search;

/// <summary>
/// Counts SEARCHes here and adds them to the totals once a second, each time to the next
/// bucket's stats: a SEARCH itself touches no Redis key, and no key is touched by every entrance.
/// </summary>
internal sealed partial class SearchCounter(RedisConnection redis, TimeProvider timeProvider, ILogger<SearchCounter> logger)
    : TallyFlusher(TimeSpan.FromSeconds(1), timeProvider)
{
    private long _pending;
    private int _bucket;

    public void Add() => Interlocked.Increment(ref _pending);

    public override async Task FlushAsync()
    {
        var count = Interlocked.Exchange(ref _pending, 0);
        if (count == 0)
            return;
        try
        {
            _bucket = (_bucket + 1) % RedisKeys.Buckets;
            await redis.Database.HashIncrementAsync(redis.Keys.Bucket(_bucket).Stats, "searches", count);
        }
        catch (Exception ex) when (RedisResilience.IsOutage(ex))
        {
            Interlocked.Add(ref _pending, count); // counted at the next flush
            Log.FlushFailed(logger, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Adding SEARCH counts to the totals failed: Redis is unavailable.")]
        public static partial void FlushFailed(ILogger logger, Exception exception);
    }
}
