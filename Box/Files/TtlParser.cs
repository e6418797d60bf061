namespace Dandelion.Box.Files;

/// <summary>
/// The header's <c>TTL</c>: whole seconds up to the box's maximum; 0 or missing means the box's default
/// (the original's publisher sends 0 for "no preference"), so every file expires.
/// </summary>
internal static class TtlParser
{
    /// <summary>On success <paramref name="ttl"/> is the time to keep the file, never more than <paramref name="maxTtl"/>.</summary>
    public static bool TryParse(string? text, TimeSpan defaultTtl, TimeSpan maxTtl, out TimeSpan ttl, out string? error)
    {
        ttl = defaultTtl < maxTtl ? defaultTtl : maxTtl;
        error = null;
        if (text is null)
            return true;

        var trimmed = text.Trim();
        long seconds;
        if (!long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out seconds))
        {
            // A Python publisher may send 60.0: whole values are fine, fractions are not.
            if (!decimal.TryParse(trimmed, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var real)
                || real != decimal.Truncate(real) || real > long.MaxValue || real < long.MinValue)
            {
                error = $"'{Shorten(text)}' is not a whole number of seconds.";
                return false;
            }
            seconds = (long)real;
        }

        if (seconds < 0)
        {
            error = $"{seconds} is negative.";
            return false;
        }
        if (seconds > maxTtl.TotalSeconds)
        {
            error = $"{seconds} s is over this box's maximum of {(long)maxTtl.TotalSeconds} s.";
            return false;
        }
        if (seconds > 0)
            ttl = TimeSpan.FromSeconds(seconds);
        return true;
    }

    private static string Shorten(string text) => text.Length <= 32 ? text : text[..32] + "…";
}
