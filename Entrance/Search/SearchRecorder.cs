using Dandelion.Entrance.Redis;
using StackExchange.Redis;

namespace Dandelion.Entrance.Search;

/// <summary>
/// Keeps, per box, how it fared in recent SEARCHes (<c>P:{T}:box:{id}:search</c>, in the box's
/// bucket: <c>seen</c>, <c>chosen</c> and the <c>last</c> <see cref="SearchMark"/>), so the
/// dashboard can say why a box gets little traffic. A SEARCH only adds to a tally in memory;
/// every <see cref="FlushInterval"/> the tallies go to Redis, one script call per bucket for up
/// to <see cref="KeysPerCall"/> boxes (every key of a call on the bucket's slot). So SEARCH sends
/// no Redis command, and Redis sees at most one write per searched box per interval, however
/// many SEARCHes there were. What a crash loses is one interval of advisory figures.
/// </summary>
internal sealed partial class SearchRecorder(RedisConnection redis, TimeProvider time, ILogger<SearchRecorder> logger)
    : TallyFlusher(FlushInterval, time)
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    /// <summary>Boxes with a tally waiting at most; past it marks are dropped (and counted) until the next flush.</summary>
    public const int MaxPendingBoxes = 200_000;

    // Four commands per key: 256 keys a call ran 13-16 ms inside Redis at a million boxes (the
    // benchmark's SLOWLOG, 2026-12-01), stalling every heartbeat behind it; 16 keeps a call far under 1 ms.
    private const int KeysPerCall = 16;

    private const string FlushSource = """
        local life = tonumber(ARGV[1])
        for i, key in ipairs(KEYS) do
          local at = 2 + (i - 1) * 3
          redis.call('HINCRBY', key, 'seen', ARGV[at])
          if ARGV[at + 1] ~= '0' then redis.call('HINCRBY', key, 'chosen', ARGV[at + 1]) end
          redis.call('HSET', key, 'last', ARGV[at + 2])
          redis.call('EXPIRE', key, life)
        end
        return #KEYS
        """;

    private readonly ConcurrentDictionary<string, SearchTally> _pending = new(StringComparer.Ordinal);
    private int _pendingCount;
    private long _dropped;

    /// <summary>Marks dropped because <see cref="MaxPendingBoxes"/> boxes were waiting.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Record(IReadOnlyList<(string BoxId, SearchMark Mark)> marks)
    {
        foreach (var (boxId, mark) in marks)
        {
            while (true)
            {
                if (!_pending.TryGetValue(boxId, out var tally))
                {
                    if (Volatile.Read(ref _pendingCount) >= MaxPendingBoxes)
                    {
                        Interlocked.Increment(ref _dropped);
                        break;
                    }
                    tally = new SearchTally();
                    if (!_pending.TryAdd(boxId, tally))
                        continue;
                    Interlocked.Increment(ref _pendingCount);
                }
                // False when a flush took this tally meanwhile: start the next one.
                if (tally.TryAdd(mark))
                    break;
            }
        }
    }

    /// <summary>Writes every waiting tally; the ones Redis did not take are dropped with a warning.</summary>
    public override async Task FlushAsync()
    {
        var byBucket = new Dictionary<BucketKeys, List<(string BoxId, SearchTally.Totals Totals)>>();
        foreach (var boxId in _pending.Keys)
        {
            if (!_pending.TryRemove(boxId, out var tally))
                continue;
            Interlocked.Decrement(ref _pendingCount);
            var totals = tally.Close();
            if (totals.Seen == 0)
                continue;
            var bucket = redis.Keys.BucketOf(boxId);
            if (!byBucket.TryGetValue(bucket, out var list))
                byBucket[bucket] = list = [];
            list.Add((boxId, totals));
        }
        if (byBucket.Count == 0)
            return;

        var lifetime = (long)RedisKeys.SearchRecordLifetime.TotalSeconds;
        var calls = new List<Task>();
        foreach (var (bucket, tallies) in byBucket)
        {
            foreach (var chunk in tallies.Chunk(KeysPerCall))
            {
                var keys = chunk.Select(t => bucket.SearchRecord(t.BoxId)).ToArray();
                var values = new RedisValue[1 + chunk.Length * 3];
                values[0] = lifetime;
                for (var i = 0; i < chunk.Length; i++)
                {
                    var totals = chunk[i].Totals;
                    values[1 + i * 3] = totals.Seen;
                    values[2 + i * 3] = totals.Chosen;
                    values[3 + i * 3] = JsonSerializer.Serialize(totals.Last, SearchMarkJsonContext.Default.SearchMark);
                }
                calls.Add(redis.Database.ScriptEvaluateAsync(FlushSource, keys, values));
            }
        }
        try
        {
            await Task.WhenAll(calls);
        }
        catch (Exception ex) when (RedisResilience.IsOutage(ex))
        {
            Log.FlushFailed(logger, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Recording SEARCH candidates failed: Redis is unavailable; one interval of them is lost.")]
        public static partial void FlushFailed(ILogger logger, Exception exception);
    }
}
