using Dandelion.Box.Node;

namespace Dandelion.Box.Household;

/// <summary>
/// The household's upload ceiling (<see cref="BoxOptions.UploadCeiling"/>) as one token bucket
/// shared by every response. Kept as a virtual schedule (GCRA): each slice a response wants to
/// send is given the next free moment of the line, in the order the slices are asked for, so
/// viewers downloading at once take turns slice by slice and share the ceiling evenly. From an
/// idle start, at most <c>ceiling × t + <see cref="Slice"/></c> bytes leave in any span <c>t</c>.
/// </summary>
/// <remarks>Cost per slice: one lock, and one timer while a response waits its turn.</remarks>
internal sealed class UploadBucket
{
    private readonly long _rate;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly long _burstTicks;
    private long _nextFree; // timestamp (TimeProvider ticks) at which every slice given a turn has gone

    public UploadBucket(IOptions<BoxOptions> options, TimeProvider time)
    {
        _rate = options.Value.UploadCeiling;
        _time = time;
        // Small slices for a low ceiling, so a turn is a sixteenth of a second at most.
        Slice = _rate == 0 ? int.MaxValue : (int)Math.Clamp(_rate / 16, 1024, 16 * 1024);
        _burstTicks = _rate == 0 ? 0 : Ticks(Slice);
        _nextFree = long.MinValue;
    }

    /// <summary>False when the owner set no ceiling: responses go out unthrottled.</summary>
    public bool Enabled => _rate > 0;

    /// <summary>The most a response sends per turn, and the bucket's depth.</summary>
    public int Slice { get; }

    /// <summary>Waits for the turn of <paramref name="bytes"/> (at most <see cref="Slice"/>).</summary>
    public ValueTask TakeAsync(int bytes, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes, Slice);
        if (!Enabled || bytes <= 0)
            return ValueTask.CompletedTask;
        TimeSpan wait;
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            // An idle line starts now; each slice may go out one slice's time ahead of its place
            // in the line (the bucket's depth), so a lone response never waits for its first.
            _nextFree = Math.Max(_nextFree, now) + Ticks(bytes);
            var ready = _nextFree - _burstTicks;
            wait = ready > now ? _time.GetElapsedTime(now, ready) : TimeSpan.Zero;
        }
        return wait > TimeSpan.Zero ? new ValueTask(Task.Delay(wait, _time, cancellationToken)) : ValueTask.CompletedTask;
    }

    private long Ticks(long bytes) => (long)((Int128)bytes * _time.TimestampFrequency / _rate);
}
