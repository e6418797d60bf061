namespace Dandelion.Shared.Identity;

/// <summary>
/// A node's id, <c>{role}-{32 lower-case hex}</c> (a uuid4 without dashes, as the original
/// makes them), created once and kept in <c>{dataDirectory}/{role}.id</c>.
/// </summary>
public static class NodeIdentity
{
    public static string Prefix(NodeRole role) => role switch
    {
        NodeRole.Entrance => "entrance-",
        NodeRole.Box => "box-",
        NodeRole.Publisher => "publisher-",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    public static string FileName(NodeRole role) => Prefix(role).TrimEnd('-') + ".id";

    public static string New(NodeRole role) => Prefix(role) + Guid.NewGuid().ToString("N");

    /// <summary>True for <c>{prefix}{32 lower-case hex}</c> and nothing else.</summary>
    public static bool IsValid(string? id, NodeRole role)
    {
        var prefix = Prefix(role);
        if (id is null || id.Length != prefix.Length + 32 || !id.StartsWith(prefix, StringComparison.Ordinal))
            return false;
        foreach (var c in id.AsSpan(prefix.Length))
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
                return false;
        }
        return true;
    }

    /// <summary>True when <paramref name="id"/> is a valid id of any role.</summary>
    public static bool IsValidAny(string? id) =>
        IsValid(id, NodeRole.Box) || IsValid(id, NodeRole.Publisher) || IsValid(id, NodeRole.Entrance);

    /// <summary>
    /// Reads the id kept in <paramref name="dataDirectory"/>, or makes and keeps a new one
    /// when the file is missing or holds something that is not an id of this role.
    /// </summary>
    public static string LoadOrCreate(string dataDirectory, NodeRole role)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, FileName(role));
        if (File.Exists(path))
        {
            var kept = File.ReadAllText(path).Trim();
            if (IsValid(kept, role))
                return kept;
        }

        var id = New(role);
        // Write beside and rename, so a crash never leaves a half-written id.
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, id + "\n");
        File.Move(temporary, path, overwrite: true);
        return id;
    }
}
