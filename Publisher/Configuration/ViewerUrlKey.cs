using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Dandelion.Shared.Auth;

namespace Dandelion.Publisher.Configuration;

/// <summary>
/// The key this publisher signs viewer URLs with (<see cref="ViewerUrl"/>; docs/PUBLISHER.md,
/// Signed viewer URLs): 32 random bytes kept in <c>{DataDirectory}/viewer-url.key</c>, made at
/// first start. Its fingerprint goes to entrances in SEARCH, so the grants they give bind it, and
/// the key itself to boxes in PUBLISH, which take it only under such a grant.
/// </summary>
internal sealed class ViewerUrlKey
{
    public const string FileName = "viewer-url.key";

    /// <summary>How long past the copy's expiry a signed URL stays good: clocks of publisher and box may differ by this.</summary>
    public static readonly TimeSpan ClockSlack = TimeSpan.FromSeconds(30);

    /// <summary>Signed copy URLs kept at most: past this the cache starts again empty, so it never outgrows the copies in use.</summary>
    internal const int CachedUrls = 65_536;

    private readonly byte[] _key;
    // A copy's signed URL depends only on the URL, the publisher, the path and the copy's expiry,
    // all fixed while the copy lives: signed once, not an HMAC per holder per redirect.
    private readonly ConcurrentDictionary<(string Url, string PublisherId, string FilePath, DateTimeOffset ExpiresAt), string> _signed = new();

    public ViewerUrlKey(byte[] key)
    {
        _key = key;
        Encoded = Base64Url.EncodeToString(_key);
        Fingerprint = ViewerUrl.Fingerprint(_key);
    }

    /// <summary>The key kept in <paramref name="dataDirectory"/>, made there when missing.</summary>
    public static ViewerUrlKey LoadOrCreate(string dataDirectory)
    {
        var path = Path.GetFullPath(Path.Combine(dataDirectory, FileName));
        return new ViewerUrlKey(Read(path) ?? Make(path));
    }

    /// <summary>The key as sent in PUBLISH's <c>URL_KEY</c>.</summary>
    public string Encoded { get; }

    /// <summary>As sent in SEARCH's <c>URL_KEY</c>.</summary>
    public string Fingerprint { get; }

    /// <summary>A box's URL of a copy, signed for as long as the copy lives on that box (plus <see cref="ClockSlack"/>).</summary>
    public string SignCopy(string url, string publisherId, string filePath, DateTimeOffset copyExpiresAt)
    {
        var copy = (url, publisherId, filePath, copyExpiresAt);
        if (_signed.TryGetValue(copy, out var signed))
            return signed;
        if (_signed.Count >= CachedUrls)
            _signed.Clear();
        signed = Sign(url, publisherId, filePath, copyExpiresAt + ClockSlack);
        _signed[copy] = signed;
        return signed;
    }

    /// <summary>Signed copy URLs held now (at most <see cref="CachedUrls"/>).</summary>
    internal int CachedCount => _signed.Count;

    /// <summary><paramref name="url"/>, a box's URL of <paramref name="filePath"/>, signed until <paramref name="expiresAt"/>.</summary>
    public string Sign(string url, string publisherId, string filePath, DateTimeOffset expiresAt) =>
        ViewerUrl.Sign(_key, url, publisherId, filePath, expiresAt);

    private static byte[]? Read(string path) =>
        File.Exists(path) ? ViewerUrl.ParseKey(File.ReadAllText(path).Trim()) : null;

    private static byte[] Make(string path)
    {
        var key = RandomNumberGenerator.GetBytes(ViewerUrl.KeyBytes);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Written beside and renamed: a crash never leaves half a key.
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, Base64Url.EncodeToString(key) + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temporary, path, overwrite: true);
        return key;
    }
}
