using Dandelion.Box.Node;
using Microsoft.Extensions.Options;

namespace Dandelion.Box.Files;

/// <summary>Deletes expired files every <see cref="BoxOptions.SweepInterval"/>; serving hides them before that.</summary>
internal sealed class ExpirySweeper(FileStore store, IOptions<BoxOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                store.SweepExpired();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
