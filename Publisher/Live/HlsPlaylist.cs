using System.Text.RegularExpressions;

namespace Dandelion.Publisher.Live;

/// <summary>
/// The parts of an HLS playlist (RFC 8216) the publisher touches: every URI it names,
/// whether on a line of its own (segments, variant playlists) or in a <c>URI="…"</c>
/// attribute (<c>EXT-X-MAP</c>, <c>EXT-X-MEDIA</c>, <c>EXT-X-I-FRAME-STREAM-INF</c>, …), and the
/// duration of its window. Everything else passes through untouched.
/// </summary>
internal static partial class HlsPlaylist
{
    public static bool LooksLikePlaylist(string text) => text.StartsWith("#EXTM3U", StringComparison.Ordinal);

    /// <summary>Every URI in order of appearance.</summary>
    public static IReadOnlyList<string> Uris(string text)
    {
        var uris = new List<string>();
        Rewrite(text, uri =>
        {
            uris.Add(uri);
            return null;
        });
        return uris;
    }

    /// <summary>The text with each URI replaced by <paramref name="map"/>'s answer (null keeps it).</summary>
    public static string Rewrite(string text, Func<string, string?> map)
    {
        var output = new StringBuilder(text.Length + 256);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                output.Append('\n');
                continue;
            }
            if (line.StartsWith('#'))
            {
                output.Append(UriAttribute().Replace(line, m => "URI=\"" + (map(m.Groups[1].Value) ?? m.Groups[1].Value) + "\""));
            }
            else
            {
                var uri = line.Trim();
                output.Append(map(uri) ?? line);
            }
            output.Append('\n');
        }
        // Split leaves one empty piece after a final newline: do not double it.
        if (text.EndsWith('\n'))
            output.Length--;
        return output.ToString();
    }

    /// <summary>
    /// The text with a line <paramref name="tagFor"/> gives (when not null) inserted just before
    /// each URI line (a segment or a variant playlist); <c>URI="…"</c> attributes get none.
    /// </summary>
    public static string TagUriLines(string text, Func<string, string?> tagFor)
    {
        var output = new StringBuilder(text.Length + 1024);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length > 0 && !line.StartsWith('#') && tagFor(line.Trim()) is { } tag)
                output.Append(tag).Append('\n');
            output.Append(raw).Append('\n');
        }
        output.Length--;
        return output.ToString();
    }

    /// <summary>The sum of <c>#EXTINF</c> durations: how much of the stream the playlist lists.</summary>
    public static TimeSpan Window(string text)
    {
        double seconds = 0;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (!line.StartsWith("#EXTINF:", StringComparison.Ordinal))
                continue;
            var value = line["#EXTINF:".Length..];
            var comma = value.IndexOf(',');
            if (comma >= 0)
                value = value[..comma];
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var duration) && duration > 0)
                seconds += duration;
        }
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>A URI the publisher can resolve on disk: relative, no scheme, no query.</summary>
    public static bool IsLocal(string uri) =>
        uri.Length > 0 && !uri.Contains("://", StringComparison.Ordinal) && !uri.StartsWith('/') && !uri.StartsWith("data:", StringComparison.Ordinal);

    public static bool IsPlaylist(string uri)
    {
        var path = uri.Split('?', '#')[0];
        return path.EndsWith(".m3u8", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".m3u", StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex("URI=\"([^\"]*)\"")]
    private static partial Regex UriAttribute();
}
