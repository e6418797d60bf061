namespace Dandelion.Entrance.Redis;

/// <summary>
/// Moves what a feature counted in memory to Redis once per interval and once more as the
/// entrance stops, so a request adds to a tally and never waits for Redis. A subclass's
/// <see cref="FlushAsync"/> handles an outage itself (keeps the counts for the next flush, or
/// drops advisory ones); this only runs it.
/// </summary>
internal abstract class TallyFlusher(TimeSpan interval, TimeProvider time) : BackgroundService
{
    /// <summary>Writes what was counted since the last flush.</summary>
    public abstract Task FlushAsync();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await FlushAsync();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await FlushAsync();
        }
        catch (ObjectDisposedException)
        {
            // The connection went first (its owner stopped before this one): nothing to write to.
        }
    }
}
