namespace Dandelion.Shared.Protocol;

/// <summary>
/// The two spellings of an entrance's WebSocket URL: <c>ws(s)://</c>, which our nodes use, and
/// <c>http(s)://</c>, which the original writes and reads (aiohttp's <c>ws_connect</c> takes an
/// HTTP URL). Both name the same socket; only the scheme differs.
/// </summary>
public static class EntranceUrl
{
    /// <summary>The <c>ws://</c> or <c>wss://</c> form, scheme and host lower case; null when <paramref name="url"/> is neither form.</summary>
    public static string? WebSocketForm(string? url) => WithScheme(url, secure => secure ? "wss" : "ws");

    /// <summary>The <c>http://</c> or <c>https://</c> form; null when <paramref name="url"/> is neither form.</summary>
    public static string? Version1Form(string? url) => WithScheme(url, secure => secure ? "https" : "http");

    private static string? WithScheme(string? url, Func<bool, string> scheme)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)
            || string.IsNullOrEmpty(uri.Host) || uri.UserInfo.Length > 0)
            return null;
        bool secure;
        switch (uri.Scheme)
        {
            case "ws" or "http":
                secure = false;
                break;
            case "wss" or "https":
                secure = true;
                break;
            default:
                return null;
        }
        var builder = new UriBuilder(uri) { Scheme = scheme(secure) };
        // UriBuilder keeps an explicit port; a default one (80/443) is written only if not the scheme's own.
        if (uri.IsDefaultPort)
            builder.Port = -1;
        return builder.Uri.AbsoluteUri;
    }
}
