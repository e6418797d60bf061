using System.Threading.Channels;
using Dandelion.Entrance.Configuration;
using Dandelion.Entrance.Redis;
using StackExchange.Redis;

namespace Dandelion.Entrance.Search;

/// <summary>
/// Keeps <see cref="BoxIndex"/> current: subscribes to every bucket's feed (sharded pub/sub, so
/// each bucket's changes arrive in the order Redis made them), loads every bucket once, and
/// reloads a bucket whenever it may have missed something: a gap in the feed numbers, a
/// reconnection, a full queue, or a bucket whose number in Redis is behind (Redis lost data) or
/// stays ahead of what arrived (a lost message), checked every heartbeat. One loop applies
/// everything, in batches under the index's write lock.
/// </summary>
internal sealed partial class IndexFeed(
    RedisConnection redis,
    BoxIndex index,
    BucketLoader loader,
    FeedPosition position,
    IOptions<EntranceOptions> options,
    TimeProvider timeProvider,
    IHostApplicationLifetime lifetime,
    ILogger<IndexFeed> logger) : BackgroundService
{
    private const int Buckets = RedisKeys.Buckets;

    private readonly Channel<IndexWork> _work = Channel.CreateBounded<IndexWork>(
        new BoundedChannelOptions(100_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool[] _known = new bool[Buckets];
    private readonly bool[] _loaded = new bool[Buckets];
    private readonly long[] _lagging = [.. Enumerable.Repeat(-1L, Buckets)];
    private int _loadedCount;

    /// <summary>Completes once every bucket was loaded; SEARCH waits for it after a start.</summary>
    public Task Ready => _ready.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        loader.Attach(_work.Writer, stoppingToken);
        var applying = ApplyLoopAsync(stoppingToken);
        try
        {
            await SubscribeAllAsync(stoppingToken);
            redis.Multiplexer.ConnectionRestored += (_, _) => ResyncAll();
            ResyncAll();
            await Task.WhenAll(CheckLoopAsync(stoppingToken), PruneLoopAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        _work.Writer.TryComplete();
        await applying;
    }

    private async Task SubscribeAllAsync(CancellationToken stoppingToken)
    {
        var subscribed = new bool[Buckets];
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                for (var b = 0; b < Buckets; b++)
                {
                    if (subscribed[b])
                        continue;
                    var bucket = b;
                    var queue = await redis.Subscriber.SubscribeAsync(redis.Keys.Bucket(b).Feed);
                    queue.OnMessage(message => Received(bucket, message.Message));
                    subscribed[b] = true;
                }
                return;
            }
            catch (Exception ex) when (RedisResilience.IsOutage(ex))
            {
                Log.SubscribeFailed(logger, ex);
            }
            await Task.Delay(delay, timeProvider, stoppingToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }

    private void Received(int bucket, RedisValue message)
    {
        if (FeedChange.Parse((byte[])message!) is not { } change)
        {
            Log.BadMessage(logger, bucket);
            return;
        }
        if (!_work.Writer.TryWrite(new IndexWork(IndexWorkKind.Change, bucket, change)))
            RequestResync(bucket); // dropped: the bucket is read again whole
    }

    private async Task ApplyLoopAsync(CancellationToken stoppingToken)
    {
        var reader = _work.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                using var writing = index.Write();
                for (var n = 0; n < 1024 && reader.TryRead(out var work); n++)
                    Apply(work);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // A fault in applying is a bug: stop loudly rather than answer from an index that stopped moving.
            Log.ApplyBroke(logger, ex);
            lifetime.StopApplication();
        }
    }

    private void Apply(IndexWork work)
    {
        var b = work.Bucket;
        switch (work.Kind)
        {
            case IndexWorkKind.Change:
                var seq = work.Change!.Sequence;
                var applied = position.Applied(b);
                if (!_known[b] || seq > applied)
                {
                    if (_known[b] && seq > applied + 1)
                        RequestResync(b); // a gap: something was published that never arrived
                    _known[b] = true;
                    position.Set(b, seq);
                }
                index.Apply(b, work.Change);
                break;
            case IndexWorkKind.ResyncBegin:
                var regressed = _known[b] && work.Sequence < position.Applied(b);
                if (regressed || !_known[b] || work.Sequence > position.Applied(b))
                    position.Set(b, work.Sequence);
                if (regressed)
                    Log.Regressed(logger, b);
                _known[b] = true;
                index.BeginResync(b, clear: regressed);
                break;
            case IndexWorkKind.ResyncBoxes:
                foreach (var box in work.Boxes!)
                    index.Restore(b, work.Generation, work.Sequence, box.Id, box.ExpiresAt, box.Draining, box.Record);
                break;
            case IndexWorkKind.ResyncEnd:
                index.EndResync(b, work.Generation, work.Sequence);
                if (_loaded[b])
                    break;
                _loaded[b] = true;
                if (++_loadedCount == Buckets)
                {
                    position.Live = true;
                    _ready.TrySetResult();
                    Log.Loaded(logger, index.CountUnlocked);
                }
                break;
            case IndexWorkKind.Prune:
                index.Prune(timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
                break;
        }
    }

    private void ResyncAll()
    {
        for (var b = 0; b < Buckets; b++)
            RequestResync(b);
    }

    private void RequestResync(int bucket) => loader.Request(bucket);

    /// <summary>Every heartbeat: one GET of each bucket's feed number, compared with what arrived.</summary>
    private async Task CheckLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Heartbeat, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var batch = redis.Database.CreateBatch();
                var reads = redis.Keys.All.Select(k => batch.StringGetAsync(k.Sequence)).ToArray();
                batch.Execute();
                await Task.WhenAll(reads);
                for (var b = 0; b < Buckets; b++)
                {
                    if (!_loaded[b] || loader.IsLoading(b))
                        continue;
                    var truth = (long?)reads[b].Result ?? 0;
                    var applied = position.Applied(b);
                    var behind = truth > applied && _lagging[b] == applied;
                    _lagging[b] = truth > applied ? applied : -1;
                    if (truth < applied || behind)
                        RequestResync(b);
                }
            }
            catch (Exception ex) when (RedisResilience.IsOutage(ex))
            {
                Log.CheckFailed(logger, ex);
            }
        }
    }

    /// <summary>Forgets expired boxes, one bucket per tick (a whole round every few seconds).</summary>
    private async Task PruneLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100), timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
            _work.Writer.TryWrite(new IndexWork(IndexWorkKind.Prune, 0));
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Subscribing to the bucket feeds failed; retrying.")]
        public static partial void SubscribeFailed(ILogger logger, Exception exception);

        [LoggerMessage(2, LogLevel.Warning, "Ignored a message on bucket {Bucket}'s feed that is not a change.")]
        public static partial void BadMessage(ILogger logger, int bucket);

        [LoggerMessage(4, LogLevel.Warning, "Checking the bucket feeds failed: Redis is unavailable.")]
        public static partial void CheckFailed(ILogger logger, Exception exception);

        [LoggerMessage(5, LogLevel.Warning, "Bucket {Bucket}'s feed went back (Redis lost data); reloading it.")]
        public static partial void Regressed(ILogger logger, int bucket);

        [LoggerMessage(8, LogLevel.Critical, "Applying changes to the index broke; stopping the entrance.")]
        public static partial void ApplyBroke(ILogger logger, Exception exception);

        [LoggerMessage(6, LogLevel.Information, "Index loaded: {Boxes} live boxes.")]
        public static partial void Loaded(ILogger logger, int boxes);
    }
}
