using System.Buffers.Text;
using System.Security.Cryptography;

namespace Dandelion.Shared.Auth;

/// <summary>
/// Signed viewer URLs (docs/PROTOCOL.md, Viewer URLs): a publisher appends
/// <c>?e={expiry, unix seconds}&amp;s={signature}</c> to a box URL it hands a viewer, the
/// signature base64url HMAC-SHA256 under the publisher's URL key of
/// <c>{publisher id}\n{file path}\n{expiry}</c>; a box that learnt the key (over a PUBLISH whose
/// entrance-signed grant names the key's <see cref="Fingerprint"/>) serves the file only for a
/// matching, unexpired signature. The key is 32 random bytes, sent as base64url.
/// </summary>
public static class ViewerUrl
{
    public const int KeyBytes = 32;

    /// <summary>Base64url of the key's SHA-256: what SEARCH carries and a grant binds, never the key.</summary>
    public static string Fingerprint(ReadOnlySpan<byte> key) => Base64Url.EncodeToString(SHA256.HashData(key));

    /// <summary>The key sent as <c>URL_KEY</c> in PUBLISH; null when it is not 32 bytes of base64url.</summary>
    public static byte[]? ParseKey(string? encoded)
    {
        if (encoded is not { Length: 43 })
            return null;
        try
        {
            var key = Base64Url.DecodeFromChars(encoded);
            return key.Length == KeyBytes ? key : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>True for something shaped like a <see cref="Fingerprint"/> (43 base64url characters).</summary>
    public static bool IsFingerprint(string? text) =>
        text is { Length: 43 } && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary><paramref name="url"/> with <c>e</c> and <c>s</c> for <paramref name="filePath"/> (<c>/live/seg-1.ts</c>) until <paramref name="expiresAt"/>.</summary>
    public static string Sign(ReadOnlySpan<byte> key, string url, string publisherId, string filePath, DateTimeOffset expiresAt)
    {
        var expiry = expiresAt.ToUnixTimeSeconds();
        var separator = url.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return $"{url}{separator}e={expiry.ToString(CultureInfo.InvariantCulture)}&s={Base64Url.EncodeToString(Mac(key, publisherId, filePath, expiry))}";
    }

    /// <summary>
    /// True when <paramref name="signature"/> is the key's for the file until <paramref name="expiry"/>
    /// and that is not past at <paramref name="now"/>. Compared in constant time.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> key, string publisherId, string filePath, string? expiry, string? signature, DateTimeOffset now)
    {
        if (expiry is not { Length: > 0 and <= 12 } || signature is not { Length: 43 }
            || !long.TryParse(expiry, NumberStyles.None, CultureInfo.InvariantCulture, out var until)
            || until < now.ToUnixTimeSeconds())
            return false;
        Span<byte> given = stackalloc byte[33];
        if (!Base64Url.TryDecodeFromChars(signature, given, out var written) || written != 32)
            return false;
        return CryptographicOperations.FixedTimeEquals(given[..32], Mac(key, publisherId, filePath, until));
    }

    /// <summary>The URL without the signature's query (what the publisher stores and compares).</summary>
    public static string Unsigned(string url) => url.IndexOf('?', StringComparison.Ordinal) is var q and >= 0 ? url[..q] : url;

    private static byte[] Mac(ReadOnlySpan<byte> key, string publisherId, string filePath, long expiry) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{publisherId}\n{filePath}\n{expiry.ToString(CultureInfo.InvariantCulture)}"));
}
