using System.IO.Pipelines;
using Dandelion.Box.Traffic;

namespace Dandelion.Box.Serving;

/// <summary>
/// The response's own <see cref="PipeWriter"/>, counting into the <see cref="BandwidthMeter"/>
/// what each flush hands to Kestrel. Memory is the inner writer's: a file read straight into
/// the response's buffers (<see cref="FileBody"/>) is still read straight into them.
/// </summary>
internal sealed class CountingPipeWriter(PipeWriter inner, BandwidthMeter meter) : PipeWriter
{
    private long _unflushed;

    public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);
    public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

    public override void Advance(int bytes)
    {
        inner.Advance(bytes);
        _unflushed += bytes;
    }

    public override async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        var result = await inner.FlushAsync(cancellationToken);
        Count();
        return result;
    }

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null)
    {
        Count();
        inner.Complete(exception);
    }

    public override ValueTask CompleteAsync(Exception? exception = null)
    {
        Count();
        return inner.CompleteAsync(exception);
    }

    private void Count()
    {
        if (_unflushed == 0)
            return;
        meter.Add(_unflushed);
        _unflushed = 0;
    }
}
