using Dandelion.Entrance.Configuration;
using Dandelion.Entrance.Redis;
using StackExchange.Redis;

namespace Dandelion.Entrance.Boxes;

/// <summary>
/// The boxes, in Redis (layout in <see cref="RedisKeys"/>): each operation is one script on the
/// box's bucket slot, which also publishes the change on the bucket's feed. A writer then waits
/// (briefly) until its own entrance's index has applied the change, so what it answers is what
/// SEARCH here sees next.
/// </summary>
internal sealed class BoxRegistry(RedisConnection redis, FeedPosition feed, ReplicationWatch replication, IOptions<EntranceOptions> options,
    TimeProvider timeProvider)
{
    // Ends one session; when it was the box's last live one, removes the box and records why
    // (ARGV[4]; a box that closed while draining was drained) with its NAME from the stored box.
    // Returns { feed number, reason } when the box went, { 0 } when another session lives on.
    private const string CloseSource = """
        redis.call('HDEL', KEYS[1], ARGV[1])
        local now = tonumber(ARGV[2])
        local fields = redis.call('HGETALL', KEYS[1])
        for i = 1, #fields, 2 do
          if tonumber(fields[i + 1]) <= now then redis.call('HDEL', KEYS[1], fields[i]) end
        end
        if redis.call('HLEN', KEYS[1]) > 0 then return { 0 } end
        redis.call('DEL', KEYS[1])
        if redis.call('ZREM', KEYS[2], ARGV[3]) == 0 then return { 0 } end
        local reason = ARGV[4]
        if reason == 'closed' and redis.call('SISMEMBER', KEYS[5], ARGV[3]) == 1 then reason = 'drained' end
        local named = ''
        local record = redis.call('HGET', KEYS[3], ARGV[3])
        if record then
          local ok, box = pcall(cjson.decode, record)
          if ok and type(box) == 'table' and type(box.NAME) == 'string' then named = ',"NAME":' .. cjson.encode(box.NAME) end
        end
        redis.call('HDEL', KEYS[3], ARGV[3])
        redis.call('HDEL', KEYS[4], ARGV[3])
        redis.call('SREM', KEYS[5], ARGV[3])
        redis.call('LPUSH', KEYS[6], '{"ID":' .. cjson.encode(ARGV[3]) .. ',"REASON":"' .. reason .. '","AT":' .. ARGV[2] .. named .. '}')
        redis.call('LTRIM', KEYS[6], 0, tonumber(ARGV[5]) - 1)
        local seq = redis.call('INCR', KEYS[7])
        redis.call('SPUBLISH', ARGV[6], 'G ' .. seq .. ' ' .. ARGV[3])
        return { seq, reason }
        """;

    // Sets or clears the draining flag and tells every entrance's index.
    private const string DrainSource = """
        if ARGV[2] == '1' then redis.call('SADD', KEYS[1], ARGV[1]) else redis.call('SREM', KEYS[1], ARGV[1]) end
        local seq = redis.call('INCR', KEYS[2])
        redis.call('SPUBLISH', ARGV[3], 'D ' .. seq .. ' ' .. ARGV[1] .. ' ' .. ARGV[2])
        return seq
        """;

    /// <summary>How long a writer waits for its change to reach this entrance's index.</summary>
    public static readonly TimeSpan VisibleWithin = TimeSpan.FromSeconds(1);

    private readonly TimeSpan _refresh = options.Value.RecordRefresh;

    public RedisKeys Keys => redis.Keys;

    /// <summary>One EXCHANGE: one script, one round trip (see <see cref="HeartbeatScript"/>).</summary>
    public async Task<StoreOutcome> StoreAsync(BoxUpdate update, CancellationToken cancellationToken)
    {
        var bucket = redis.Keys.BucketOf(update.BoxId);
        var result = await HeartbeatScript.EvaluateAsync(redis.Database, bucket, update, _refresh,
            replication.GraceFor(bucket.Index), cancellationToken);
        var outcome = HeartbeatScript.Read(result);
        // What this EXCHANGE published (a new or changed box, an expiry pushed out) is what this
        // entrance's next SEARCH sees: the reply waits for the index (well under a millisecond).
        await feed.WaitAsync(bucket.Index, outcome.Sequence, VisibleWithin, timeProvider, cancellationToken);
        return outcome;
    }

    /// <summary>
    /// Ends a version 2 session. When it was the box's last, the box is gone for
    /// <paramref name="reason"/> (<see cref="GoneReasons"/>); returns the reason recorded
    /// (a box that closed while draining was drained), or null when another session lives on.
    /// </summary>
    public async Task<string?> CloseSessionAsync(string boxId, string sessionField, DateTimeOffset now, string reason)
    {
        var bucket = redis.Keys.BucketOf(boxId);
        var result = (RedisResult[])(await redis.Database.ScriptEvaluateAsync(CloseSource,
            [bucket.Sessions(boxId), bucket.Expiry, bucket.Boxes, bucket.Meta, bucket.Draining, bucket.Gone, bucket.Sequence],
            [sessionField, now.ToUnixTimeMilliseconds(), boxId, reason, RedisKeys.GoneCapacity, bucket.Feed.ToString()]))!;
        var seq = (long)result[0];
        if (seq == 0)
            return null;
        await feed.WaitAsync(bucket.Index, seq, VisibleWithin, timeProvider, CancellationToken.None);
        return (string?)result[1];
    }

    /// <summary>Records an operator's DRAIN or RESUME so SEARCH on every entrance sees it at once.</summary>
    public async Task SetDrainingAsync(string boxId, bool draining)
    {
        var bucket = redis.Keys.BucketOf(boxId);
        var seq = (long)await redis.Database.ScriptEvaluateAsync(DrainSource, [bucket.Draining, bucket.Sequence],
            [boxId, draining ? "1" : "0", bucket.Feed.ToString()]);
        await feed.WaitAsync(bucket.Index, seq, VisibleWithin, timeProvider, CancellationToken.None);
    }

    /// <summary>The entrances holding a version 2 session with the box (from its sessions hash).</summary>
    public async Task<List<string>> SessionHoldersAsync(string boxId, DateTimeOffset now)
    {
        var sessions = await redis.Database.HashGetAllAsync(redis.Keys.BucketOf(boxId).Sessions(boxId));
        var nowMs = now.ToUnixTimeMilliseconds();
        return [.. sessions
            .Where(s => (long)s.Value > nowMs)
            .Select(s => ((string)s.Name!).Split('/')[0])
            .Distinct(StringComparer.Ordinal)];
    }
}
