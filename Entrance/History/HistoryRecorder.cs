using Dandelion.Entrance.Redis;
using StackExchange.Redis;

namespace Dandelion.Entrance.History;

/// <summary>
/// The dashboard's last hour, kept in Redis so it survives a restart and sums over every
/// entrance. Each entrance counts in memory (a few interlocked adds per EXCHANGE or SEARCH)
/// and every <see cref="HistoryKeys.Slot"/> adds its counts into the current minute's hash,
/// and writes the network's gauges (boxes live, draining, publishers). Costs per entrance one
/// read of the buckets' gauges and one batch of at most ten commands every 10 s, whatever the
/// number of boxes: never a write per box or per heartbeat to a shared key.
/// </summary>
internal sealed partial class HistoryRecorder(RedisConnection redis, TimeProvider time, ILogger<HistoryRecorder> logger) : BackgroundService
{
    private long _exchanges;
    private long _searches;
    private long _boxBytes;
    private long _originBytes;
    private long _redirectBytes;

    /// <summary>One EXCHANGE, and the bytes its traffic entries say the box served.</summary>
    public void Exchanged(long servedBytes)
    {
        Interlocked.Increment(ref _exchanges);
        if (servedBytes > 0)
            Interlocked.Add(ref _boxBytes, servedBytes);
    }

    public void Searched() => Interlocked.Increment(ref _searches);

    /// <summary>
    /// What a publisher's viewers got since its last SEARCH: from the publisher itself (origin), and
    /// from boxes by their reports (its <c>STREAMS</c>' <c>BOX_BYTES</c>, delivered bytes; the series
    /// keeps its first name, <c>redirect-bytes</c>, so stored history reads on).
    /// </summary>
    public void Offloaded(long originBytes, long redirectBytes)
    {
        Interlocked.Add(ref _originBytes, originBytes);
        Interlocked.Add(ref _redirectBytes, redirectBytes);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(HistoryKeys.Slot, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await FlushAsync();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Adds what was counted since the last flush to the current slot; on a Redis outage the counts wait for the next.</summary>
    public async Task FlushAsync()
    {
        var now = time.GetUtcNow();
        var (key, slot) = HistoryKeys.For(redis.Keys.Prefix, now);
        var counts = new (string Field, long Value)[]
        {
            (HistoryKeys.Exchanges, Interlocked.Exchange(ref _exchanges, 0)),
            (HistoryKeys.Searches, Interlocked.Exchange(ref _searches, 0)),
            (HistoryKeys.BoxBytes, Interlocked.Exchange(ref _boxBytes, 0)),
            (HistoryKeys.OriginBytes, Interlocked.Exchange(ref _originBytes, 0)),
            (HistoryKeys.RedirectBytes, Interlocked.Exchange(ref _redirectBytes, 0)),
        };
        try
        {
            var keys = redis.Keys;
            var nowMs = now.ToUnixTimeMilliseconds();
            // The gauges add up the buckets: 3 × 64 small reads, pipelined, once per 10 s.
            var read = redis.Database.CreateBatch();
            var reads = keys.All.Select(b => (
                Live: read.SortedSetLengthAsync(b.Expiry, nowMs, double.PositiveInfinity, Exclude.Start),
                Draining: read.SetLengthAsync(b.Draining),
                Publishers: read.SortedSetLengthAsync(b.Publishers, nowMs, double.PositiveInfinity, Exclude.Start))).ToList();
            read.Execute();
            await Task.WhenAll(reads.SelectMany(r => new Task[] { r.Live, r.Draining, r.Publishers }));
            var (live, draining, publishers) = (reads.Sum(r => r.Live.Result), reads.Sum(r => r.Draining.Result), reads.Sum(r => r.Publishers.Result));

            var write = redis.Database.CreateBatch();
            var writes = new List<Task>(10);
            foreach (var (field, value) in counts.Where(c => c.Value > 0))
                writes.Add(write.HashIncrementAsync(key, HistoryKeys.Field(field, slot), value));
            // Gauges: every entrance writes the same figure, so the last writer is as right as any.
            writes.Add(write.HashSetAsync(key,
            [
                new HashEntry(HistoryKeys.Field(HistoryKeys.Live, slot), live),
                new HashEntry(HistoryKeys.Field(HistoryKeys.Draining, slot), draining),
                new HashEntry(HistoryKeys.Field(HistoryKeys.Publishers, slot), publishers),
            ]));
            writes.Add(write.KeyExpireAsync(key, HistoryKeys.Lifetime));
            write.Execute();
            await Task.WhenAll(writes);
        }
        catch (Exception ex) when (RedisResilience.IsOutage(ex))
        {
            foreach (var (field, value) in counts)
                Restore(field, value);
            Log.FlushFailed(logger, ex);
        }
    }

    private void Restore(string field, long value)
    {
        switch (field)
        {
            case HistoryKeys.Exchanges: Interlocked.Add(ref _exchanges, value); break;
            case HistoryKeys.Searches: Interlocked.Add(ref _searches, value); break;
            case HistoryKeys.BoxBytes: Interlocked.Add(ref _boxBytes, value); break;
            case HistoryKeys.OriginBytes: Interlocked.Add(ref _originBytes, value); break;
            case HistoryKeys.RedirectBytes: Interlocked.Add(ref _redirectBytes, value); break;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "The dashboard history was not written: Redis is unavailable; the counts wait for the next try.")]
        public static partial void FlushFailed(ILogger logger, Exception exception);
    }
}
