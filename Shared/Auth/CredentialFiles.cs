using Dandelion.Shared.Identity;

namespace Dandelion.Shared.Auth;

/// <summary>
/// A node's credential in its data directory: its id in <c>{role}.id</c> (where
/// <see cref="NodeIdentity"/> keeps it anyway) and its TOKEN in <c>{role}.token</c>, readable by
/// its owner only. A node that has a token file uses it when no <c>Token</c> is configured.
/// </summary>
public static class CredentialFiles
{
    public static string TokenFile(string dataDirectory, NodeRole role) =>
        Path.Combine(dataDirectory, NodeIdentity.Prefix(role).TrimEnd('-') + ".token");

    /// <summary>The kept token, or null when the node was never enrolled.</summary>
    public static string? ReadToken(string dataDirectory, NodeRole role)
    {
        var path = TokenFile(dataDirectory, role);
        return File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } token ? token : null;
    }

    /// <summary>Keeps <paramref name="credential"/> as this node's id and token, replacing any before.</summary>
    public static void Save(string dataDirectory, NodeRole role, NodeCredential credential)
    {
        if (!NodeIdentity.IsValid(credential.Id, role))
            throw new ArgumentException($"'{credential.Id}' is not a {NodeIdentity.Prefix(role)}… id.", nameof(credential));
        Directory.CreateDirectory(dataDirectory);
        Write(Path.Combine(dataDirectory, NodeIdentity.FileName(role)), credential.Id);
        Write(TokenFile(dataDirectory, role), credential.Token);
    }

    // Beside and renamed, so a crash never leaves half a credential.
    private static void Write(string path, string value)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, value + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temporary, path, overwrite: true);
    }
}
