using Dandelion.Shared.Identity;

namespace Dandelion.Entrance.Traffic;

/// <summary>
/// Whose file a traffic entry served: a box serves <c>/{publisher_id}/{FILE_PATH}</c>, so the
/// first part of its URL names the publisher. Only answers that delivered the file (2xx) count;
/// a 404, a refused range or a URL of another shape is attributed to no one.
/// </summary>
internal readonly record struct ServedFile(string PublisherId, string Path)
{
    /// <summary>Longest <c>FILE_PATH</c> attributed; a box never stores a longer one (<c>Box/Files/StoragePath</c>).</summary>
    public const int MaxPathLength = 1024;

    public static ServedFile? From(string? url, long status)
    {
        if (status is < 200 or > 299 || string.IsNullOrEmpty(url) || url[0] != '/')
            return null;
        var query = url.IndexOfAny(['?', '#']);
        if (query >= 0)
            url = url[..query];
        var slash = url.IndexOf('/', 1);
        if (slash < 0 || url.Length - slash > MaxPathLength || url.Length - slash < 2)
            return null;
        var publisher = url[1..slash];
        if (!NodeIdentity.IsValid(publisher, NodeRole.Publisher))
            return null;
        // Logged as requested (escaped); the publisher knows its files by their plain FILE_PATH.
        var path = Uri.UnescapeDataString(url[slash..]);
        return path.Contains('\n') ? null : new ServedFile(publisher, path);
    }

    /// <summary>A version 1 entry's status is a digit string.</summary>
    public static ServedFile? FromVersion1(string? url, string? status) =>
        long.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? From(url, code) : null;
}
