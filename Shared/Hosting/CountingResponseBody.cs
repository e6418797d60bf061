using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Dandelion.Shared.Hosting;

/// <summary>
/// A response body that reports each chunk to <paramref name="sent"/> once Kestrel took it: a
/// range, a HEAD or a viewer who leaves mid-file counts what was sent, not the file's size.
/// Written through <see cref="Stream"/>, through <see cref="Writer"/> (the given writer, which
/// counts for itself, or one over this stream) or by <see cref="SendFileAsync"/> (ASP.NET's file
/// result, in chunks through <see cref="Stream"/>, as Kestrel does without sendfile). The box
/// counts its upload with it, the publisher its origin bytes.
/// </summary>
public sealed class CountingResponseBody(IHttpResponseBodyFeature inner, Action<long> sent, Func<PipeWriter>? writer = null)
    : Stream, IHttpResponseBodyFeature
{
    private PipeWriter? _writer;

    public Stream Stream => this;
    public PipeWriter Writer => _writer ??= writer?.Invoke() ?? PipeWriter.Create(this, new StreamPipeWriterOptions(leaveOpen: true));

    public void DisableBuffering() => inner.DisableBuffering();
    public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        SendFileFallback.SendFileAsync(this, path, offset, count, cancellationToken);

    public async Task CompleteAsync()
    {
        // What was written and not flushed is flushed by Kestrel as it completes: counted here.
        if (_writer is not null)
            await _writer.FlushAsync();
        await inner.CompleteAsync();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await inner.Stream.WriteAsync(buffer, cancellationToken);
        }
        finally
        {
            // Kestrel copies the chunk before its flush waits on the socket: a viewer who leaves
            // while that flush waits may already have read it (the write then ends aborted).
            // So a chunk counts once handed over; a viewer leaving mid-file costs at most one
            // chunk counted that it never got, never one it got left uncounted.
            sent(buffer.Length);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        try
        {
            inner.Stream.Write(buffer, offset, count);
        }
        finally
        {
            sent(count); // as in WriteAsync
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.Stream.FlushAsync(cancellationToken);
    public override void Flush() => inner.Stream.Flush();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
