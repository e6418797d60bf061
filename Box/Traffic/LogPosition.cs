namespace Dandelion.Box.Traffic;

/// <summary>How far the access log has been read: which file (inode) and the offset after the last whole line.</summary>
internal readonly record struct LogPosition(ulong Inode, long Offset);
