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
    private const int MaxLinesPerSweep = 20;

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
                    // One line per box, as for every other departure; a mass expiry (Redis or the
                    // network down for everyone) is summed up after the first few.
                    foreach (var (id, name) in swept.Take(MaxLinesPerSweep))
                        Log.Expired(logger, name ?? id, id, options.Value.EffectiveExpiry.TotalSeconds);
                    if (swept.Count > MaxLinesPerSweep)
                        Log.ManyExpired(logger, swept.Count - MaxLinesPerSweep);
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
        [LoggerMessage(1, LogLevel.Information, "Box {Name} ({BoxId}) left: expired, silent for more than {Seconds} s.")]
        public static partial void Expired(ILogger logger, string name, string boxId, double seconds);

        [LoggerMessage(3, LogLevel.Information, "{Count} more boxes left: expired.")]
        public static partial void ManyExpired(ILogger logger, int count);

        [LoggerMessage(2, LogLevel.Warning, "Sweeping expired boxes failed: Redis is unavailable.")]
        public static partial void SweepFailed(ILogger logger, Exception exception);
    }
}
