using System.Globalization;
using System.Text.RegularExpressions;

namespace Dandelion.Box.Traffic;

/// <summary>
/// Reads nginx access-log lines in <c>combined</c> (or <c>common</c>) format, and in the
/// original Dandelion's <c>'"$request"-$status-$bytes_sent'</c>.
/// </summary>
internal static partial class AccessLogParser
{
    /// <summary>The original's <c>log_format</c>, for nginx configurations.</summary>
    public const string OriginalNginxFormat = "'\"$request\"-$status-$bytes_sent'";

    public static bool TryParse(string line, out ServedRequest? request)
    {
        request = null;
        line = line.TrimEnd('\r', '\n');
        var combined = Combined().Match(line);
        if (combined.Success)
            return Build(combined, combined.Groups["time"].Value, out request);
        var original = Original().Match(line);
        if (original.Success)
            return Build(original, null, out request);
        return false;
    }

    private static bool Build(Match match, string? time, out ServedRequest? request)
    {
        request = null;
        var status = int.Parse(match.Groups["status"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
        var sizeText = match.Groups["size"].Value;
        if (!long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            size = 0; // "-": nothing sent
        // "GET /p/x.ts HTTP/1.1": the URL is the target; a bare or garbled request line stays whole.
        var line = match.Groups["request"].Value;
        var parts = line.Split(' ');
        var url = parts.Length >= 2 ? parts[1] : line;
        request = new ServedRequest(url, status, size, time);
        return true;
    }

    [GeneratedRegex("""^\S+ \S+ \S+ \[(?<time>[^\]]+)\] "(?<request>[^"]*)" (?<status>\d{3}) (?<size>\d+|-)(?: "[^"]*" "[^"]*")?.*$""", RegexOptions.CultureInvariant)]
    private static partial Regex Combined();

    [GeneratedRegex("""^"(?<request>[^"]*)"-(?<status>\d{3})-(?<size>\d+)\s*$""", RegexOptions.CultureInvariant)]
    private static partial Regex Original();
}
