namespace Dandelion.Box.Files;

/// <summary>
/// How much the files may take: the owner's quota, and never so much that the storage volume's
/// free space falls below the share kept free for the household (<c>Box:KeepDiskFree</c>).
/// </summary>
internal sealed class StorageRoom(string root, long quota, double keepFree)
{
    /// <summary>Bytes the files may take now, given <paramref name="used"/>: what entrances are told.</summary>
    public long Quota(long used) => Math.Min(quota, used + Math.Max(0, DiskRoom()));

    /// <summary>
    /// Null when a file of <paramref name="size"/> fits beside <paramref name="used"/> bytes (stored
    /// and held by other uploads in progress, the file it replaces left out). <paramref name="pendingBytes"/>:
    /// those of its bytes not yet on the volume (the rest are in <c>.incoming</c>, so the volume's free
    /// space counts them already).
    /// </summary>
    public FileRefusal? Check(long used, long size, long pendingBytes)
    {
        if (used + size > quota)
            return FileRefusal.Quota(quota);
        if (pendingBytes > 0 && DiskRoom() < pendingBytes)
            return FileRefusal.DiskFull(keepFree);
        return null;
    }

    /// <summary>
    /// Bytes the volume can take before its free space falls below the share kept free (one
    /// <c>statvfs</c>); <see cref="long.MaxValue"/> when none is kept or the volume cannot be read.
    /// </summary>
    private long DiskRoom()
    {
        if (keepFree <= 0)
            return long.MaxValue;
        try
        {
            var volume = new DriveInfo(root);
            return volume.AvailableFreeSpace - (long)(volume.TotalSize * keepFree);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return long.MaxValue;
        }
    }
}
