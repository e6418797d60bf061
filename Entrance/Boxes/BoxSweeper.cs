using Dandelion.Entrance.Configuration;
using Dandelion.Entrance.Redis;
using Microsoft.Extensions.Options;

namespace Dandelion.Entrance.Boxes;

/// <summary>
/// Removes expired boxes from the indexes every <c>SweepInterval</c>. SEARCH already ignores
/// them by their expiry score; sweeping keeps the indexes small and records why they went.
/// </summary>
internal sealed partial class BoxSweeper(BoxRegistry registry, IOptions<EntranceOptions> options,
    TimeProvider timeProvider, ILogger<BoxSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.EffectiveSweepInterval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var swept = await registry.SweepAsync(timeProvider.GetUtcNow());
                    if (swept > 0)
                        Log.Swept(logger, swept);
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

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Swept {Count} expired boxes.")]
        public static partial void Swept(ILogger logger, long count);

        [LoggerMessage(2, LogLevel.Warning, "Sweeping expired boxes failed: Redis is unavailable.")]
        public static partial void SweepFailed(ILogger logger, Exception exception);
    }
}
