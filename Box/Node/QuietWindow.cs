namespace Dandelion.Box.Node;

/// <summary>
/// One span of quiet hours in the device's local day, <c>HH:mm-HH:mm</c>: from the first time
/// (included) to the second (excluded), across midnight when the second is earlier.
/// </summary>
internal readonly record struct QuietWindow(TimeOnly From, TimeOnly Until)
{
    public static bool TryParse(string? text, out QuietWindow window)
    {
        window = default;
        var parts = text?.Split('-', StringSplitOptions.TrimEntries);
        if (parts is not [var from, var until]
            || !TimeOnly.TryParseExact(from, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var f)
            || !TimeOnly.TryParseExact(until, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var u)
            || f == u)
            return false;
        window = new QuietWindow(f, u);
        return true;
    }

    public bool Contains(TimeOnly time) =>
        From < Until ? time >= From && time < Until : time >= From || time < Until;

    /// <summary>How long after <paramref name="time"/> the next edge of this window comes (never zero: an edge at <paramref name="time"/> is a day away).</summary>
    public TimeSpan UntilNextEdge(TimeOnly time)
    {
        static TimeSpan Ahead(TimeOnly now, TimeOnly edge)
        {
            var ahead = edge - now; // TimeOnly subtraction wraps around midnight
            return ahead == TimeSpan.Zero ? TimeSpan.FromDays(1) : ahead;
        }
        var toFrom = Ahead(time, From);
        var toUntil = Ahead(time, Until);
        return toFrom < toUntil ? toFrom : toUntil;
    }

    public override string ToString() =>
        $"{From.ToString("HH:mm", CultureInfo.InvariantCulture)}-{Until.ToString("HH:mm", CultureInfo.InvariantCulture)}";
}
