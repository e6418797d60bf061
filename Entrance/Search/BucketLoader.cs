using System.Threading.Channels;
using Dandelion.Entrance.Redis;
using StackExchange.Redis;

namespace Dandelion.Entrance.Search;

/// <summary>
/// Reads one bucket's live boxes from Redis into the index (a resync): the feed number first,
/// then the expiry index by ZSCAN, 250 ids at a time, with their stored boxes (HMGET) and
/// draining flags (SMISMEMBER), each command on the bucket's slot and small (no command reads
/// more than 250 boxes). Changes the feed brings meanwhile are applied too; the index keeps the
/// newer of the two (see <see cref="BoxIndex"/>).
/// </summary>
internal sealed partial class BucketLoader(RedisConnection redis, TimeProvider timeProvider, IHostApplicationLifetime lifetime,
    ILogger<BucketLoader> logger)
{
    private const int Page = 250;

    private readonly int[] _generations = new int[RedisKeys.Buckets];
    // Per bucket: 0 idle, 1 loading, 2 loading and asked again.
    private readonly int[] _state = new int[RedisKeys.Buckets];
    private ChannelWriter<IndexWork> _work = null!;
    private CancellationToken _stopping;

    /// <summary>Where loads deliver, until the index's feed stops.</summary>
    public void Attach(ChannelWriter<IndexWork> work, CancellationToken stopping)
    {
        _work = work;
        _stopping = stopping;
    }

    public bool IsLoading(int bucket) => Volatile.Read(ref _state[bucket]) != 0;

    /// <summary>Reads the bucket again, retrying while Redis is down; a request during a load makes it run once more after.</summary>
    public void Request(int bucket)
    {
        if (Interlocked.Exchange(ref _state[bucket], 2) != 0)
            return;
        _ = Task.Run(async () =>
        {
            try
            {
                do
                {
                    Volatile.Write(ref _state[bucket], 1);
                    await LoadUntilDoneAsync(bucket);
                }
                while (Interlocked.CompareExchange(ref _state[bucket], 0, 1) != 1 && !_stopping.IsCancellationRequested);
            }
            catch (Exception ex)
            {
                // Not a fault this loop expects (those are retried): stop loudly rather than serve a stale index.
                Log.Broke(logger, ex);
                lifetime.StopApplication();
            }
        });
    }

    private async Task LoadUntilDoneAsync(int bucket)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await LoadAsync(bucket, _work, _stopping);
                return;
            }
            catch (Exception ex) when (RedisResilience.IsOutage(ex))
            {
                Log.Failed(logger, bucket, ex);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
            {
                return;
            }
            try
            {
                await Task.Delay(delay, timeProvider, _stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }

    private async Task LoadAsync(int bucket, ChannelWriter<IndexWork> work, CancellationToken cancellationToken)
    {
        var keys = redis.Keys.Bucket(bucket);
        var database = redis.Database;
        var sequence = (long?)await database.StringGetAsync(keys.Sequence) ?? 0;
        var generation = Interlocked.Increment(ref _generations[bucket]);
        await work.WriteAsync(new IndexWork(IndexWorkKind.ResyncBegin, bucket, Sequence: sequence, Generation: generation), cancellationToken);

        var page = new List<SortedSetEntry>(Page);
        await foreach (var entry in database.SortedSetScanAsync(keys.Expiry, pageSize: Page).WithCancellation(cancellationToken))
        {
            page.Add(entry);
            if (page.Count == Page)
            {
                await ReadAsync(database, keys, page, sequence, generation, work, cancellationToken);
                page.Clear();
            }
        }
        if (page.Count > 0)
            await ReadAsync(database, keys, page, sequence, generation, work, cancellationToken);
        await work.WriteAsync(new IndexWork(IndexWorkKind.ResyncEnd, bucket, Sequence: sequence, Generation: generation), cancellationToken);
    }

    private async Task ReadAsync(IDatabase database, BucketKeys keys, List<SortedSetEntry> page, long sequence, int generation,
        ChannelWriter<IndexWork> work, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var ids = page.Select(e => e.Element).ToArray();
        var batch = database.CreateBatch();
        var records = batch.HashGetAsync(keys.Boxes, ids);
        var draining = batch.SetContainsAsync(keys.Draining, ids);
        batch.Execute();
        await Task.WhenAll(records, draining).WaitAsync(cancellationToken);

        var boxes = new List<SnapshotBox>(ids.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            var expiresAt = (long)page[i].Score;
            if (expiresAt <= now || records.Result[i].IsNull || IndexRecord.Parse((byte[])records.Result[i]!) is not { } record)
                continue;
            boxes.Add(new SnapshotBox((string)ids[i]!, expiresAt, draining.Result[i], record));
        }
        await work.WriteAsync(new IndexWork(IndexWorkKind.ResyncBoxes, keys.Index, Sequence: sequence, Generation: generation, Boxes: boxes),
            cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Loading bucket {Bucket} into the index failed: Redis is unavailable; retrying.")]
        public static partial void Failed(ILogger logger, int bucket, Exception exception);

        [LoggerMessage(2, LogLevel.Critical, "Loading the index broke; stopping the entrance.")]
        public static partial void Broke(ILogger logger, Exception exception);
    }
}
