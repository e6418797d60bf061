using System.Security.Cryptography;
using Dandelion.Entrance.Configuration;
using Dandelion.Shared.Auth;

namespace Dandelion.Entrance.Auth;

/// <summary>
/// Signs publish grants with the entrance's ECDSA P-256 key, read from <c>Entrance:Auth:GrantKeyFile</c>
/// or made there on first use. Entrances that share the file give grants every box accepts.
/// A grant names one publisher and one box (<see cref="PublishGrant"/>); one is signed per box a
/// SEARCH answers with, and reused for the same pair while more than half its lifetime is left,
/// so a publisher searching every few seconds costs a signature per box every few minutes.
/// </summary>
internal sealed class GrantSigner(IOptions<EntranceOptions> options) : IDisposable
{
    private readonly Lazy<(ECDsa Key, string Public)> _key = new(() => LoadOrCreate(options.Value));
    // Bounded: cleared whole when full (a cache miss costs one signature).
    private const int MaxCached = 100_000;
    private readonly TimeSpan _lifetime = options.Value.Auth.GrantLifetime;
    private readonly ConcurrentDictionary<(string Publisher, string Box, string? UrlKey), (string Grant, DateTimeOffset Expires)> _issued = new();

    /// <summary>The public key as sent in <c>GRANT_KEY</c>.</summary>
    public string PublicKey => _key.Value.Public;

    /// <param name="urlKeyFingerprint">The publisher's viewer URL key fingerprint from its SEARCH (<c>URL_KEY</c>), bound into the grant when well-formed.</param>
    public string Issue(string publisherId, string boxId, DateTimeOffset now, string? urlKeyFingerprint = null)
    {
        if (!ViewerUrl.IsFingerprint(urlKeyFingerprint))
            urlKeyFingerprint = null;
        if (_issued.TryGetValue((publisherId, boxId, urlKeyFingerprint), out var kept) && kept.Expires - now > _lifetime / 2)
            return kept.Grant;
        var expires = now + _lifetime;
        var grant = PublishGrant.Issue(_key.Value.Key, publisherId, boxId, expires, urlKeyFingerprint);
        if (_issued.Count >= MaxCached)
            _issued.Clear();
        _issued[(publisherId, boxId, urlKeyFingerprint)] = (grant, expires);
        return grant;
    }

    public void Dispose()
    {
        if (_key.IsValueCreated)
            _key.Value.Key.Dispose();
    }

    private static (ECDsa, string) LoadOrCreate(EntranceOptions options)
    {
        var path = options.Auth.GrantKeyFile is { Length: > 0 } file ? file : Path.Combine(options.DataDirectory, "grant-key.pem");
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (File.Exists(path))
        {
            key.ImportFromPem(File.ReadAllText(path));
        }
        else
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, key.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.Move(temporary, path, overwrite: false);
        }
        return (key, PublishGrant.ExportPublicKey(key));
    }
}
