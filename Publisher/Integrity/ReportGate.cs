using System.Threading.RateLimiting;

namespace Dandelion.Publisher.Integrity;

/// <summary>
/// Bounds the publisher's checks of viewers' reports: at most <see cref="PerSecond"/> a second
/// (a burst of twice that) and <see cref="AtOnce"/> at once, for all viewers together; each copy
/// (box, file) checked at most once per <see cref="RememberFor"/>, later reports getting the
/// remembered verdict. At most <see cref="MaxRemembered"/> verdicts are kept.
/// </summary>
internal sealed class ReportGate(TimeProvider time) : IDisposable
{
    public const int PerSecond = 4;
    public const int AtOnce = 4;
    public const int MaxRemembered = 4096;
    public static readonly TimeSpan RememberFor = TimeSpan.FromMinutes(1);

    private readonly TokenBucketRateLimiter _rate = new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = 2 * PerSecond,
        TokensPerPeriod = PerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    });
    private readonly SemaphoreSlim _atOnce = new(AtOnce, AtOnce);
    private readonly ConcurrentDictionary<(string Box, string Path), (ReportVerdict Verdict, DateTimeOffset At)> _verdicts = new();

    public ReportVerdict? Remembered(string box, string path) =>
        _verdicts.TryGetValue((box, path), out var known) && time.GetUtcNow() - known.At < RememberFor ? known.Verdict : null;

    public void Remember(string box, string path, ReportVerdict verdict)
    {
        if (_verdicts.Count >= MaxRemembered)
            _verdicts.Clear();
        _verdicts[(box, path)] = (verdict, time.GetUtcNow());
    }

    /// <summary>True when a check may start now; then <see cref="Leave"/> once it is done.</summary>
    public bool TryEnter()
    {
        if (!_atOnce.Wait(0))
            return false;
        using var lease = _rate.AttemptAcquire();
        if (lease.IsAcquired)
            return true;
        _atOnce.Release();
        return false;
    }

    public void Leave() => _atOnce.Release();

    public void Dispose()
    {
        _rate.Dispose();
        _atOnce.Dispose();
    }
}
