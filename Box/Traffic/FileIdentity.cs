using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Dandelion.Box.Traffic;

/// <summary>
/// A file's inode, which is how a log follower tells "the same file, grown" from "a new
/// file at the same path" after rotation. Read with Linux's <c>statx</c>, whose result
/// layout is the same on every architecture (x86-64 and ARM boards alike).
/// </summary>
internal static partial class FileIdentity
{
    private const int AtFdCwd = -100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxIno = 0x100;
    private const int StatxSize = 256;
    private const int InodeOffset = 32;
    private static bool s_unavailable;

    /// <summary>The inode at <paramref name="path"/> (following no link), or null when there is no file or no statx.</summary>
    public static ulong? Of(string path) => Query(AtFdCwd, path, 0x100 /* AT_SYMLINK_NOFOLLOW */);

    /// <summary>The inode of an open file, however it has been renamed since.</summary>
    public static ulong? Of(SafeFileHandle handle)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return Query((int)handle.DangerousGetHandle(), "", AtEmptyPath);
        }
        finally
        {
            if (added)
                handle.DangerousRelease();
        }
    }

    private static ulong? Query(int directory, string path, int flags)
    {
        if (s_unavailable || !OperatingSystem.IsLinux())
            return null;
        var buffer = new byte[StatxSize];
        try
        {
            if (Statx(directory, path, flags, StatxIno, buffer) != 0)
                return null;
        }
        catch (EntryPointNotFoundException)
        {
            // A C library older than glibc 2.28: rotation is then seen only by a shrinking file.
            s_unavailable = true;
            return null;
        }
        // The kernel writes the struct in the machine's own byte order.
        return MemoryMarshal.Read<ulong>(buffer.AsSpan(InodeOffset));
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
}
