namespace Dandelion.Publisher.Placement;

/// <summary>Runs <see cref="Placer.Sweep"/> once a second: waiting files are retried, never dropped.</summary>
internal sealed class PlacementLoop(Placer placer, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
                placer.Sweep();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
