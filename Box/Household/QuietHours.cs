using Dandelion.Box.Node;

namespace Dandelion.Box.Household;

/// <summary>
/// Drains the box during the owner's quiet hours and lets it return after: at each edge of a
/// window (local time, as <see cref="TimeProvider.LocalTimeZone"/> says) it sets
/// <see cref="BoxNode.Quiet"/>. Entrances see <c>DRAINING</c> and stop sending publishers, who
/// are refused new files, so the box's upload dies down as the files it holds expire.
/// </summary>
internal sealed partial class QuietHours(BoxNode node, IOptions<BoxOptions> options, TimeProvider time, ILogger<QuietHours> logger)
    : BackgroundService
{
    // Woken at least this often, so a clock or time-zone change is noticed within the hour.
    private static readonly TimeSpan LongestSleep = TimeSpan.FromHours(1);

    private readonly QuietWindow[] _windows = options.Value.QuietHours
        .Select(w => QuietWindow.TryParse(w, out var window) ? window : throw new InvalidOperationException($"Box:QuietHours entry '{w}' is invalid."))
        .ToArray();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_windows.Length == 0)
            return;
        Log.Windows(logger, string.Join(", ", _windows));
        try
        {
            while (true)
            {
                var now = TimeOnly.FromTimeSpan(time.GetLocalNow().TimeOfDay);
                var quiet = _windows.Any(w => w.Contains(now));
                if (quiet != node.Quiet)
                {
                    node.Quiet = quiet;
                    if (quiet)
                        Log.Began(logger);
                    else
                        Log.Ended(logger, node.Draining);
                }
                var sleep = _windows.Min(w => w.UntilNextEdge(now));
                await Task.Delay(sleep < LongestSleep ? sleep : LongestSleep, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Quiet hours {Windows} (local time): the box drains in them")]
        public static partial void Windows(ILogger logger, string windows);

        [LoggerMessage(2, LogLevel.Information, "Quiet hours began: draining, no new files until they end")]
        public static partial void Began(ILogger logger);

        [LoggerMessage(3, LogLevel.Information, "Quiet hours ended: taking files again (still draining on an entrance's word: {Draining})")]
        public static partial void Ended(ILogger logger, bool draining);
    }
}
