using System.Buffers;
using System.Security.Cryptography;

namespace Dandelion.Publisher.Placement;

/// <summary>
/// SHA-256 of a file, read once from disk in pooled 256 KiB chunks. The reads are synchronous:
/// a segment just written is in the page cache, where an asynchronous read costs a thread-pool
/// hand-off per chunk and saves nothing.
/// </summary>
internal static class FileHashing
{
    private const int ChunkBytes = 256 * 1024;

    public static Task<(long Size, string Sha256)> HashAsync(string path, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
            long size = 0;
            int read;
            while ((read = RandomAccess.Read(file, buffer.AsSpan(0, ChunkBytes), size)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                hash.AppendData(buffer, 0, read);
                size += read;
            }
            return Task.FromResult((size, Convert.ToHexStringLower(hash.GetHashAndReset())));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
