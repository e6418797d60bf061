namespace Dandelion.Entrance.Redis;

/// <summary>
/// How far this entrance's index has applied each bucket's feed, so a writer can wait until
/// its own change is visible here (read your writes) before answering. Written by the index's
/// one apply loop; awaited by EXCHANGE, session closes and operator commands.
/// </summary>
internal sealed class FeedPosition
{
    private readonly long[] _applied = new long[RedisKeys.Buckets];
    private readonly List<(long Sequence, TaskCompletionSource Done)>[] _waiters =
        [.. Enumerable.Range(0, RedisKeys.Buckets).Select(_ => new List<(long, TaskCompletionSource)>())];

    /// <summary>Subscribed to every bucket's feed and loaded once; until then nobody waits.</summary>
    public bool Live { get; set; }

    public long Applied(int bucket) => Volatile.Read(ref _applied[bucket]);

    /// <summary>Records that the feed of <paramref name="bucket"/> is applied up to <paramref name="sequence"/>.</summary>
    public void Set(int bucket, long sequence)
    {
        Volatile.Write(ref _applied[bucket], sequence);
        var waiters = _waiters[bucket];
        lock (waiters)
        {
            for (var i = waiters.Count - 1; i >= 0; i--)
            {
                if (waiters[i].Sequence > sequence)
                    continue;
                waiters[i].Done.TrySetResult();
                waiters.RemoveAt(i);
            }
        }
    }

    /// <summary>Waits until <paramref name="sequence"/> of <paramref name="bucket"/> is applied, at most <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(int bucket, long sequence, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!Live || sequence <= 0 || Applied(bucket) >= sequence)
            return;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiters = _waiters[bucket];
        lock (waiters)
        {
            if (Applied(bucket) >= sequence)
                return;
            waiters.Add((sequence, done));
        }
        try
        {
            await done.Task.WaitAsync(timeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The feed lags or lost the message; the index catches up by itself. Answer anyway.
            lock (waiters)
                waiters.RemoveAll(w => w.Done == done);
        }
    }
}
