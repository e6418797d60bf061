using Dandelion.Shared.Identity;

namespace Dandelion.Box.Files;

/// <summary>
/// Turns a publisher's <c>FILE_PATH</c> into a place under storage, or says why it cannot
/// be one. The rules are strict on purpose: a box runs on a stranger's machine, and a path
/// that is odd is refused rather than repaired.
/// </summary>
internal static class StoragePath
{
    public const int MaxPathLength = 1024;
    public const int MaxSegmentLength = 255;

    /// <summary>
    /// Leading slashes go, empty and <c>.</c> segments collapse; refused: control characters
    /// and NUL, backslashes, <c>..</c>, names too long, and any path that would not end up
    /// inside <c>{storageRoot}/{publisherId}/</c>. Links are checked by <see cref="LeavesThroughLink"/>.
    /// </summary>
    public static bool TryResolve(string storageRoot, string? publisherId, string? filePath, out StorageTarget? target, out string? error)
    {
        target = null;
        if (!NodeIdentity.IsValid(publisherId, NodeRole.Publisher))
        {
            error = "the publisher id is not publisher-<32 hex>.";
            return false;
        }
        if (string.IsNullOrEmpty(filePath))
        {
            error = "missing or empty.";
            return false;
        }
        if (filePath.Length > MaxPathLength)
        {
            error = $"longer than {MaxPathLength} characters.";
            return false;
        }
        foreach (var c in filePath)
        {
            if (char.IsControl(c) || c is '\u2028' or '\u2029')
            {
                error = "contains a control character.";
                return false;
            }
            if (c == '\\')
            {
                error = "contains a backslash.";
                return false;
            }
        }

        var segments = new List<string>();
        foreach (var segment in filePath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == ".")
                continue;
            if (segment == "..")
            {
                error = "contains '..'.";
                return false;
            }
            if (segment.Length > MaxSegmentLength)
            {
                error = $"a name is longer than {MaxSegmentLength} characters.";
                return false;
            }
            if (segment.Trim().Length == 0)
            {
                error = "a name is only spaces.";
                return false;
            }
            segments.Add(segment);
        }
        if (segments.Count == 0)
        {
            error = "names no file.";
            return false;
        }

        var relative = string.Join('/', segments);
        if (Path.IsPathRooted(relative))
        {
            error = "absolute after normalising.";
            return false;
        }
        var publisherRoot = Path.Combine(Path.GetFullPath(storageRoot), publisherId!);
        var full = Path.GetFullPath(Path.Combine(publisherRoot, relative));
        if (!full.StartsWith(publisherRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            error = "leaves the storage directory.";
            return false;
        }

        target = new StorageTarget(publisherId!, relative, full);
        error = null;
        return true;
    }

    /// <summary>
    /// True when any part of the way from storage to <paramref name="target"/> that exists is a
    /// link: following it could write or serve outside storage.
    /// </summary>
    public static bool LeavesThroughLink(string storageRoot, StorageTarget target)
    {
        var current = Path.Combine(Path.GetFullPath(storageRoot), target.PublisherId);
        if (IsLink(current))
            return true;
        foreach (var segment in target.RelativePath.Split('/'))
        {
            current = Path.Combine(current, segment);
            if (IsLink(current))
                return true;
        }
        return false;
    }

    private static bool IsLink(string path)
    {
        // FileInfo.LinkTarget reads the link itself, so a dangling link counts too.
        return new FileInfo(path).LinkTarget is not null;
    }
}
