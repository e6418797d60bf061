using System.Security.Cryptography;
using Dandelion.Entrance.Configuration;
using Dandelion.Shared.Auth;
using Microsoft.Extensions.Options;

namespace Dandelion.Entrance.Auth;

/// <summary>
/// Signs publish grants with the entrance's ECDSA P-256 key, read from <c>Entrance:Auth:GrantKeyFile</c>
/// or made there on first use. Entrances that share the file give grants every box accepts.
/// </summary>
internal sealed class GrantSigner(IOptions<EntranceOptions> options) : IDisposable
{
    private readonly Lazy<(ECDsa Key, string Public)> _key = new(() => LoadOrCreate(options.Value));
    private readonly TimeSpan _lifetime = options.Value.Auth.GrantLifetime;

    /// <summary>The public key as sent in <c>GRANT_KEY</c>.</summary>
    public string PublicKey => _key.Value.Public;

    public string Issue(string publisherId, DateTimeOffset now) => PublishGrant.Issue(_key.Value.Key, publisherId, now + _lifetime);

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
