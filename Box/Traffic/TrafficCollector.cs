namespace Dandelion.Box.Traffic;

/// <summary>Polls the access log twice a second.</summary>
internal sealed partial class TrafficCollector(AccessLogFollower follower, TimeProvider time, ILogger<TrafficCollector> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                try
                {
                    follower.Poll();
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // The log or the data directory is unreadable for now (disk, permissions): try again next tick.
                    Log.PollFailed(logger, ex.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Could not read the access log: {Reason}")]
        public static partial void PollFailed(ILogger logger, string reason);
    }
}
