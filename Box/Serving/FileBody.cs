using Microsoft.Win32.SafeHandles;

namespace Dandelion.Box.Serving;

/// <summary>
/// Writes a whole file as the response body, read straight into the response's own buffers in
/// large chunks. Kestrel has no zero-copy sendfile: its <c>SendFileAsync</c> copies through a
/// 16 KiB buffer with a flush per copy, about 64 reads, copies and flushes per MiB; this makes
/// it four reads and four flushes, and no intermediate copy.
/// </summary>
internal static class FileBody
{
    private const int Chunk = 256 * 1024;

    /// <remarks>
    /// Reads are synchronous: a segment being served is in the page cache, and a synchronous
    /// read of it is a memory copy, cheaper than a trip through the thread pool.
    /// </remarks>
    public static async Task SendAsync(HttpResponse response, SafeFileHandle file, long length, CancellationToken cancellationToken)
    {
        var writer = response.BodyWriter;
        long offset = 0;
        while (offset < length)
        {
            var memory = writer.GetMemory((int)Math.Min(Chunk, length - offset));
            var read = RandomAccess.Read(file, memory.Span[..(int)Math.Min(memory.Length, length - offset)], offset);
            if (read == 0)
                throw new IOException("The file shrank while it was served.");
            writer.Advance(read);
            offset += read;
            var flushed = await writer.FlushAsync(cancellationToken);
            if (flushed.IsCanceled || flushed.IsCompleted)
                return;
        }
    }
}
