using StackExchange.Redis;

namespace Dandelion.Entrance.History;

/// <summary>
/// How the history is laid out: one HASH per minute, <c>P:history:{unix minute}</c> (built by
/// <see cref="Redis.RedisKeys.History"/>), fields <c>{series}:{slot}</c> with six 10-second
/// slots per minute; expires after 65 minutes, so at most 66 small keys exist at once.
/// </summary>
internal static class HistoryKeys
{
    public static readonly TimeSpan Slot = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(65);
    public const int SlotsPerMinute = 6;

    // Counters (summed over entrances).
    public const string Exchanges = "exchanges";
    public const string Searches = "searches";
    public const string BoxBytes = "box-bytes";
    public const string OriginBytes = "origin-bytes";
    public const string RedirectBytes = "redirect-bytes";
    // Gauges (the network's figure at the slot).
    public const string Live = "live";
    public const string Draining = "draining";
    public const string Publishers = "publishers";

    public static (RedisKey Key, int Slot) For(string prefix, DateTimeOffset at)
    {
        var seconds = at.ToUnixTimeSeconds();
        return (Redis.RedisKeys.History(prefix, seconds / 60), (int)(seconds % 60 / 10));
    }

    public static string Field(string series, int slot) => string.Create(CultureInfo.InvariantCulture, $"{series}:{slot}");
}
