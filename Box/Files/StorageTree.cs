namespace Dandelion.Box.Files;

/// <summary>
/// The storage directory as a tree on disk: walking it, deleting a file, pruning directories
/// left empty. Links are removed, never followed, so nothing outside the storage directory is
/// ever read or deleted.
/// </summary>
internal static class StorageTree
{
    /// <summary>
    /// After a restart: temporary files go, files <paramref name="index"/> does not know go
    /// (leftovers, or stored after the journal's last flushed line), entries whose file is gone
    /// are forgotten, empty directories go. Returns how many unknown files were deleted.
    /// </summary>
    public static int Reconcile(string root, ExpiryIndex index)
    {
        var incoming = Path.Combine(root, FileStore.IncomingDirectory);
        if (Directory.Exists(incoming))
            Directory.Delete(incoming, recursive: true);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unknown = 0;
        foreach (var path in Walk(root))
        {
            var key = Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
            if (index.TryGet(key, out _) && new FileInfo(path).LinkTarget is null)
            {
                seen.Add(key);
                continue;
            }
            DeleteQuietly(path);
            unknown++;
        }
        foreach (var key in index.Keys())
        {
            if (!seen.Contains(key))
                index.Remove(key);
        }
        RemoveEmptyDirectories(root, isRoot: true);
        return unknown;
    }

    /// <summary>Deletes <paramref name="directory"/> and the parents it leaves empty, up to (not including) <paramref name="root"/>.</summary>
    public static void PruneEmptyDirectories(string root, string directory)
    {
        root = Path.GetFullPath(root);
        while (directory.Length > root.Length && directory.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            try
            {
                if (Directory.EnumerateFileSystemEntries(directory).Any())
                    return;
                Directory.Delete(directory);
            }
            catch (IOException)
            {
                return; // gone already, or a file arrived meanwhile
            }
            catch (UnauthorizedAccessException)
            {
                return;
            }
            directory = Path.GetDirectoryName(directory)!;
        }
    }

    public static void DeleteQuietly(string path)
    {
        try
        {
            // Unlinks a link itself, never what it points to.
            File.Delete(path);
        }
        catch (IOException)
        {
            // Already gone or in use; the next sweep or start-up scan tries again.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static IEnumerable<string> Walk(string directory)
    {
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo sub && entry.LinkTarget is null)
            {
                foreach (var file in Walk(sub.FullName))
                    yield return file;
            }
            else
            {
                yield return entry.FullName;
            }
        }
    }

    private static void RemoveEmptyDirectories(string directory, bool isRoot)
    {
        foreach (var sub in Directory.EnumerateDirectories(directory))
        {
            if (new DirectoryInfo(sub).LinkTarget is null)
                RemoveEmptyDirectories(sub, isRoot: false);
        }
        if (!isRoot && !Directory.EnumerateFileSystemEntries(directory).Any())
            Directory.Delete(directory);
    }
}
