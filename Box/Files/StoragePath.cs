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
            return Refuse("the publisher id is not publisher-<32 hex>.", out error);
        if (string.IsNullOrEmpty(filePath))
            return Refuse("missing or empty.", out error);
        if (filePath.Length > MaxPathLength)
            return Refuse($"longer than {MaxPathLength} characters.", out error);
        foreach (var c in filePath)
        {
            if (char.IsControl(c) || c is '\u2028' or '\u2029')
                return Refuse("contains a control character.", out error);
            if (c == '\\')
                return Refuse("contains a backslash.", out error);
            // What a decoder puts for bytes it could not read: the name meant is lost.
            if (c == '\uFFFD')
                return Refuse("contains U+FFFD, a character lost in decoding.", out error);
        }
        // No file name can hold it: the file system would be handed U+FFFD, another name.
        if (HasLoneSurrogate(filePath))
            return Refuse("contains a lone surrogate.", out error);

        var segments = new List<string>();
        foreach (var segment in filePath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == ".")
                continue;
            if (segment == "..")
                return Refuse("contains '..'.", out error);
            // Stored as it is it would be harmless here, but a proxy, a player or a tool that
            // decodes or folds it would read it as '.' or '..': refused rather than kept.
            if (LooksLikeDots(segment))
                return Refuse("a name reads as '.' or '..' once decoded or folded (percent-encoding, look-alike dots).", out error);
            if (segment.Length > MaxSegmentLength)
                return Refuse($"a name is longer than {MaxSegmentLength} characters.", out error);
            if (segment.Trim().Length == 0)
                return Refuse("a name is only spaces.", out error);
            segments.Add(segment);
        }
        if (segments.Count == 0)
            return Refuse("names no file.", out error);

        var relative = string.Join('/', segments);
        if (Path.IsPathRooted(relative))
            return Refuse("absolute after normalising.", out error);
        var publisherRoot = Path.Combine(Path.GetFullPath(storageRoot), publisherId!);
        var full = Path.GetFullPath(Path.Combine(publisherRoot, relative));
        if (!full.StartsWith(publisherRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            return Refuse("leaves the storage directory.", out error);

        target = new StorageTarget(publisherId!, relative, full);
        error = null;
        return true;
    }

    private static bool Refuse(string why, out string? error)
    {
        error = why;
        return false;
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (var rest = text.AsSpan(); !rest.IsEmpty;)
        {
            if (System.Text.Rune.DecodeFromUtf16(rest, out _, out var used) != System.Buffers.OperationStatus.Done)
                return true;
            rest = rest[used..];
        }
        return false;
    }

    // Overlong UTF-8 forms of '.' and '/', percent-encoded: no decoder we know accepts them, but one might.
    private static readonly (string Form, string Means)[] Overlong =
        [("%c0%ae", "."), ("%e0%80%ae", "."), ("%f0%80%80%ae", "."), ("%c0%af", "/"), ("%e0%80%af", "/"), ("%c1%9c", "\\")];

    // Characters Unicode folding (NFKC) or a careless tool turns into '.', and the leaders that fold to several.
    private const string DotLookAlikes = "\u2024\uFF0E\u3002\uFE52\uFF61\u0701\u0702\u2E33\uA60E\u2025\u2026";

    /// <summary>
    /// True when <paramref name="segment"/> holds a percent escape or a look-alike dot and, decoded
    /// up to three times and with every look-alike made a '.', reads '.' or '..' (spaces aside) or
    /// holds a separator or NUL.
    /// </summary>
    private static bool LooksLikeDots(string segment)
    {
        if (!segment.Contains('%', StringComparison.Ordinal) && segment.AsSpan().IndexOfAny(DotLookAlikes) < 0)
            return false;
        var text = segment;
        for (var i = 0; i < 3 && text.Contains('%', StringComparison.Ordinal); i++)
        {
            foreach (var (form, means) in Overlong)
                text = text.Replace(form, means, StringComparison.OrdinalIgnoreCase);
            text = Uri.UnescapeDataString(text);
        }
        var folded = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\u2025')
                folded.Append("..");
            else if (c is '\u2026')
                folded.Append("...");
            else
                folded.Append(DotLookAlikes.Contains(c, StringComparison.Ordinal) ? '.' : c);
        }
        var result = folded.ToString();
        return result.Trim() is "." or ".." || result.AsSpan().IndexOfAny("/\\\0") >= 0;
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
