using Dandelion.Entrance.Configuration;
using Dandelion.Entrance.Redis;
using StackExchange.Redis;

namespace Dandelion.Entrance.Boxes;

/// <summary>
/// Removes expired boxes from every bucket each <c>SweepInterval</c>, on one entrance at a time:
/// the holder of the <c>sweep</c> <see cref="Lease"/>. SEARCH already ignores expired boxes;
/// sweeping keeps Redis small, records why boxes went, and tells every index. Each bucket's
/// script checks the lease's fencing token, so a stalled former holder sweeps nothing.
/// </summary>
internal sealed partial class BoxSweeper(RedisConnection redis, EntranceIdentity identity, IOptions<EntranceOptions> options,
    TimeProvider timeProvider, ILogger<BoxSweeper> logger) : BackgroundService
{
    // Fenced: refuses a token older than the newest that swept here ({ -1 }). Removes up to
    // ARGV[2] expired boxes from every index of the bucket, records the newest of them as gone
    // (with the NAME their stored box had), and returns { count, id, name, ... } naming up to
    // ARGV[6] of them for the log.
    private const string SweepSource = """
        local fence = tonumber(redis.call('GET', KEYS[7]) or '0')
        if tonumber(ARGV[4]) < fence then return { -1 } end
        if tonumber(ARGV[4]) > fence then redis.call('SET', KEYS[7], ARGV[4]) end
        local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
        if #ids == 0 then return { 0 } end
        local records = redis.call('HMGET', KEYS[2], unpack(ids))
        local names = {}
        for i = 1, #ids do
          names[i] = ''
          if records[i] then
            local ok, box = pcall(cjson.decode, records[i])
            if ok and type(box) == 'table' and type(box.NAME) == 'string' then names[i] = box.NAME end
          end
        end
        redis.call('ZREM', KEYS[1], unpack(ids))
        redis.call('HDEL', KEYS[2], unpack(ids))
        redis.call('HDEL', KEYS[3], unpack(ids))
        redis.call('SREM', KEYS[4], unpack(ids))
        local cap = tonumber(ARGV[3])
        for i = math.max(1, #ids - cap + 1), #ids do
          local named = names[i] ~= '' and (',"NAME":' .. cjson.encode(names[i])) or ''
          redis.call('LPUSH', KEYS[5], '{"ID":' .. cjson.encode(ids[i]) .. ',"REASON":"expired","AT":' .. ARGV[1] .. named .. '}')
        end
        redis.call('LTRIM', KEYS[5], 0, cap - 1)
        local seq = redis.call('INCR', KEYS[6])
        redis.call('SPUBLISH', ARGV[5], 'G ' .. seq .. ' ' .. table.concat(ids, ' '))
        local answer = { #ids }
        for i = 1, math.min(#ids, tonumber(ARGV[6])) do
          table.insert(answer, ids[i])
          table.insert(answer, names[i])
        end
        return answer
        """;

    /// <summary>Boxes removed per script: small enough that no sweep command takes a millisecond.</summary>
    private const int Batch = 200;

    private readonly Lease _lease = new(redis, "sweep", identity.Id);
    private int _countedIn;
    private long _passes;

    /// <summary>Boxes named in the log per pass; a mass expiry (Redis or the network down for everyone) is summed up after them.</summary>
    private const int MaxLinesPerSweep = 20;

    /// <summary>Sweep passes this entrance ran (the lease holder's count grows; the others' stay).</summary>
    public long Passes => Interlocked.Read(ref _passes);

    /// <summary>
    /// The lease tokens of the last <see cref="MaxTerms"/> terms this entrance completed a pass in:
    /// no token is ever another entrance's as well (what "one at a time" means when a stall moves the lease).
    /// </summary>
    public IReadOnlyList<long> Terms
    {
        get
        {
            lock (_terms)
                return [.. _terms];
        }
    }

    private const int MaxTerms = 64;
    private readonly Queue<long> _terms = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var heartbeat = options.Value.Heartbeat;
        var interval = options.Value.EffectiveSweepInterval;
        using var timer = new PeriodicTimer(heartbeat / 3, timeProvider);
        var due = DateTimeOffset.MinValue;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var token = await _lease.HoldAsync(heartbeat);
                    var now = timeProvider.GetUtcNow();
                    if (token == 0 || now < due)
                        continue;
                    due = now + interval;
                    var (swept, named) = await SweepAsync(now, token);
                    // One line per box, as for every other departure; a mass expiry is summed up after the first few.
                    foreach (var (id, name) in named)
                        Log.Expired(logger, name ?? id, id, options.Value.EffectiveExpiry.TotalSeconds);
                    if (swept > named.Count)
                        Log.ManyExpired(logger, swept - named.Count);
                }
                catch (Exception ex) when (RedisResilience.IsOutage(ex))
                {
                    // The next tick is the retry; the multiplexer reconnects meanwhile.
                    Log.SweepFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// One pass over every bucket under lease token <paramref name="token"/>; returns how many
    /// boxes went and the ids and names of up to <see cref="MaxLinesPerSweep"/> of them.
    /// </summary>
    public async Task<(long Swept, List<(string Id, string? Name)> Named)> SweepAsync(DateTimeOffset now, long token)
    {
        var database = redis.Database;
        var pending = redis.Keys.All.ToList();
        var named = new List<(string Id, string? Name)>();
        long total = 0;
        while (pending.Count > 0)
        {
            var batch = database.CreateBatch();
            var runs = pending.Select(b => (Bucket: b, Run: batch.ScriptEvaluateAsync(SweepSource,
                [b.Expiry, b.Boxes, b.Meta, b.Draining, b.Gone, b.Sequence, b.Fence],
                [now.ToUnixTimeMilliseconds(), Batch, RedisKeys.GoneCapacity, token, b.Feed.ToString(), MaxLinesPerSweep]))).ToList();
            batch.Execute();
            await Task.WhenAll(runs.Select(r => r.Run));
            pending.Clear();
            foreach (var (bucket, run) in runs)
            {
                var answer = (RedisResult[])run.Result!;
                var swept = (long)answer[0];
                if (swept < 0)
                {
                    Log.Fenced(logger, token);
                    return (total, named); // a newer holder sweeps now
                }
                total += swept;
                for (var i = 1; i + 1 < answer.Length && named.Count < MaxLinesPerSweep; i += 2)
                    named.Add(((string)answer[i]!, (string?)answer[i + 1] is { Length: > 0 } name ? name : null));
                if (swept == Batch)
                    pending.Add(bucket);
            }
        }
        Interlocked.Increment(ref _passes);
        lock (_terms)
        {
            if (_terms.Count == 0 || _terms.Last() != token)
                _terms.Enqueue(token);
            if (_terms.Count > MaxTerms)
                _terms.Dequeue();
        }
        // One count per pass, each time in the next bucket: how often sweeps ran, network-wide.
        _countedIn = (_countedIn + 1) % RedisKeys.Buckets;
        await database.HashIncrementAsync(redis.Keys.Bucket(_countedIn).Stats, "sweeps");
        return (total, named);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Box {Name} ({BoxId}) left: expired, silent for more than {Seconds} s.")]
        public static partial void Expired(ILogger logger, string name, string boxId, double seconds);

        [LoggerMessage(3, LogLevel.Information, "{Count} more boxes left: expired.")]
        public static partial void ManyExpired(ILogger logger, long count);

        [LoggerMessage(2, LogLevel.Warning, "Sweeping expired boxes failed: Redis is unavailable.")]
        public static partial void SweepFailed(ILogger logger, Exception exception);

        [LoggerMessage(4, LogLevel.Information, "Sweep with lease token {Token} refused: another entrance holds the lease now.")]
        public static partial void Fenced(ILogger logger, long token);
    }
}
