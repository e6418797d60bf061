using Dandelion.Box.Node;

namespace Dandelion.Box.Files;

/// <summary>Deletes expired files every <see cref="BoxOptions.SweepInterval"/>; serving hides them before that.</summary>
internal sealed partial class ExpirySweeper(FileStore store, IOptions<BoxOptions> options, TimeProvider time, ILogger<ExpirySweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    store.SweepExpired();
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // A full or failing disk: serving already hides expired files; try again next tick.
                    Log.SweepFailed(logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Could not delete expired files: {Reason}")]
        public static partial void SweepFailed(ILogger logger, string reason);
    }
}
