using System.Buffers.Text;
using Dandelion.Box.Node;
using Dandelion.Shared.Auth;
using Dandelion.Shared.Identity;

namespace Dandelion.Box.Signing;

/// <summary>
/// The viewer URL key of each publisher this box took one from (docs/BOX.md, Signed viewer URLs):
/// learnt over a PUBLISH whose entrance-signed grant binds the key's fingerprint, and kept in
/// <c>{DataDirectory}/viewer-keys/{publisher id}.key</c> so a restart does not open the files it
/// holds to unsigned requests. A publisher with a key here has its files served only for a URL it
/// signed; one without (a version 1 publisher, or auth off) is served unsigned. At most
/// <see cref="MaxPublishers"/> are kept (a publisher past that is served unsigned until one goes).
/// </summary>
internal sealed class ViewerKeys
{
    public const int MaxPublishers = 10_000;

    private readonly ConcurrentDictionary<string, byte[]> _keys = new(StringComparer.Ordinal);
    private readonly string _directory;
    private readonly Lock _writing = new();

    public ViewerKeys(IOptions<BoxOptions> options)
    {
        _directory = Path.GetFullPath(Path.Combine(options.Value.DataDirectory, "viewer-keys"));
        if (!Directory.Exists(_directory))
            return;
        foreach (var file in Directory.EnumerateFiles(_directory, "*.key").Take(MaxPublishers))
        {
            var id = Path.GetFileNameWithoutExtension(file);
            if (NodeIdentity.IsValid(id, NodeRole.Publisher) && ViewerUrl.ParseKey(File.ReadAllText(file).Trim()) is { } key)
                _keys[id] = key;
        }
    }

    /// <summary>The key viewer URLs of <paramref name="publisherId"/>'s files must be signed with; null: served unsigned.</summary>
    public byte[]? For(string publisherId) => _keys.GetValueOrDefault(publisherId);

    /// <summary>Keeps <paramref name="key"/> for <paramref name="publisherId"/> (an id already checked), replacing any other.</summary>
    public void Learn(string publisherId, byte[] key)
    {
        if (_keys.TryGetValue(publisherId, out var known) && known.AsSpan().SequenceEqual(key))
            return;
        lock (_writing)
        {
            if (!_keys.ContainsKey(publisherId) && _keys.Count >= MaxPublishers)
                return;
            Directory.CreateDirectory(_directory);
            var path = Path.Combine(_directory, publisherId + ".key");
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, Base64Url.EncodeToString(key) + "\n");
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.Move(temporary, path, overwrite: true);
            _keys[publisherId] = key;
        }
    }
}
