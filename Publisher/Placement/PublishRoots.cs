using Dandelion.Publisher.Configuration;
using Microsoft.Extensions.Options;

namespace Dandelion.Publisher.Placement;

/// <summary>
/// The directories files may be published from, each under a name: the file
/// <c>{directory}/a/b.ts</c> travels as <c>FILE_PATH</c> <c>/{name}/a/b.ts</c>, where the name is
/// the directory's own name. A path outside every directory, one naming <c>..</c>, or one
/// that passes through a link below a directory is refused: a viewer can never be handed a
/// file outside the published set, however the path is spelled.
/// </summary>
internal sealed class PublishRoots
{
    private readonly IReadOnlyList<PublishRoot> _roots;

    public PublishRoots(IOptions<PublisherOptions> options)
        : this(Describe(options.Value))
    {
    }

    public PublishRoots(IReadOnlyList<PublishRoot> roots) => _roots = roots;

    public IReadOnlyList<PublishRoot> Roots => _roots;

    /// <summary>The publish directories, plus the live directory when it is not inside one of them.</summary>
    public static IReadOnlyList<PublishRoot> Describe(PublisherOptions options)
    {
        var roots = options.PublishDirectories
            .Where(d => !string.IsNullOrWhiteSpace(d))
            .Select(d => new PublishRoot(MountName(d), Full(d)))
            .ToList();
        if (options.LiveDirectory is { Length: > 0 } live && !roots.Any(r => IsUnder(Full(live), r.Directory)))
            roots.Add(new PublishRoot(MountName(live), Full(live)));
        return roots;
    }

    /// <summary>The name a directory is published under: its last path segment.</summary>
    public static string MountName(string directory)
    {
        var name = Path.GetFileName(Full(directory));
        return name.Length == 0 ? "root" : name;
    }

    /// <summary>Maps a path on disk to its <c>FILE_PATH</c>; false with a reason when it is not publishable.</summary>
    public bool TryFromDisk(string path, out PublishTarget target, out string reason)
    {
        target = default;
        if (string.IsNullOrWhiteSpace(path) || path.Contains('\0'))
        {
            reason = "the path is empty or not a path.";
            return false;
        }
        if (path.Split('/', '\\').Contains(".."))
        {
            reason = "the path contains '..'.";
            return false;
        }
        var full = Full(path);
        var root = _roots.FirstOrDefault(r => IsUnder(full, r.Directory));
        if (root is null)
        {
            reason = "the path is not under a publish directory.";
            return false;
        }
        var relative = Path.GetRelativePath(root.Directory, full).Replace(Path.DirectorySeparatorChar, '/');
        return Check(root, relative, out target, out reason);
    }

    /// <summary>
    /// Maps a <c>FILE_PATH</c> (with or without its leading <c>/</c>, as a viewer's URL gives
    /// it) to its file on disk; false when it names nothing publishable.
    /// </summary>
    public bool TryFromFilePath(string filePath, out PublishTarget target, out string reason)
    {
        target = default;
        var segments = filePath.TrimStart('/').Split('/');
        if (segments.Length < 2 || segments.Any(BadSegment))
        {
            reason = "the path is not of the form /{directory}/{file} or has a bad segment.";
            return false;
        }
        var root = _roots.FirstOrDefault(r => r.Name == segments[0]);
        if (root is null)
        {
            reason = "no publish directory has that name.";
            return false;
        }
        return Check(root, string.Join('/', segments.Skip(1)), out target, out reason);
    }

    private static bool Check(PublishRoot root, string relative, out PublishTarget target, out string reason)
    {
        target = default;
        var segments = relative.Split('/');
        if (segments.Any(BadSegment))
        {
            reason = "the path has an empty, '.', '..' or control-character segment.";
            return false;
        }

        // No link anywhere below the root: a link could lead out of it, and following
        // only the ones that stay inside is not worth the risk of getting it wrong.
        var current = root.Directory;
        foreach (var segment in segments)
        {
            current = Path.Combine(current, segment);
            var info = new FileInfo(current);
            if (info.LinkTarget is not null)
            {
                reason = "the path passes through a link.";
                return false;
            }
        }
        if (!File.Exists(current))
        {
            reason = "no such file.";
            return false;
        }
        target = new PublishTarget("/" + root.Name + "/" + relative, current);
        reason = "";
        return true;
    }

    private static bool BadSegment(string segment) =>
        segment.Length == 0 || segment is "." or ".." || segment.Any(c => char.IsControl(c) || c == '\\');

    private static bool IsUnder(string full, string directory) =>
        full.StartsWith(directory.EndsWith(Path.DirectorySeparatorChar) ? directory : directory + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static string Full(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
}
