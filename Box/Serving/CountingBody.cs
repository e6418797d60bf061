using System.IO.Pipelines;
using Dandelion.Box.Traffic;
using Microsoft.AspNetCore.Http.Features;

namespace Dandelion.Box.Serving;

/// <summary>
/// The response body of a file request, counting each chunk into the <see cref="BandwidthMeter"/>
/// as it is handed to Kestrel: the upload rate follows the bytes sent, not the access log read
/// later. Written through <see cref="Writer"/> (the whole-file path), through <see cref="Stream"/>
/// (the upload ceiling's throttle) or by <see cref="SendFileAsync"/> (ASP.NET's file result, in
/// 64 KiB chunks through <see cref="Stream"/>, as Kestrel itself does): counted every way.
/// A viewer that disconnects stops the writes, and with them the count.
/// </summary>
internal sealed class CountingBody(IHttpResponseBodyFeature inner, BandwidthMeter meter) : Stream, IHttpResponseBodyFeature
{
    private CountingPipeWriter? _writer;

    public Stream Stream => this;
    public PipeWriter Writer => _writer ??= new CountingPipeWriter(inner.Writer, meter);

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
        await inner.Stream.WriteAsync(buffer, cancellationToken);
        meter.Add(buffer.Length);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        inner.Stream.Write(buffer, offset, count);
        meter.Add(count);
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
