using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Dandelion.Publisher.Placement;

namespace Dandelion.Publisher.Media;

/// <summary>
/// What the origin served itself against what it sent to boxes, per stream (a live
/// stream's name, or <c>files</c> for files no playlist lists): for <c>/api/stats</c> and as
/// metrics on <c>Dandelion.Publisher</c>.
/// </summary>
internal sealed class OffloadStats
{
    public const string OtherFiles = "files";

    private readonly ConcurrentDictionary<string, StreamCounters> _streams = new(StringComparer.Ordinal);
    private readonly Counter<long> _originRequests;
    private readonly Counter<long> _originBytes;
    private readonly Counter<long> _redirectRequests;
    private readonly Counter<long> _redirectBytes;

    public OffloadStats(IMeterFactory meters)
    {
        var meter = meters.Create(PlacementMetrics.MeterName);
        _originRequests = meter.CreateCounter<long>("dandelion.publisher.origin.requests", "{request}", "Media requests the publisher served from its own disk.");
        _originBytes = meter.CreateCounter<long>("dandelion.publisher.origin.bytes", "By", "Bytes the publisher served from its own disk.");
        _redirectRequests = meter.CreateCounter<long>("dandelion.publisher.redirect.requests", "{request}", "Media requests redirected to a box.");
        _redirectBytes = meter.CreateCounter<long>("dandelion.publisher.redirect.bytes", "By", "Bytes of the files redirected to boxes (served by boxes instead of the origin).");
    }

    public void Origin(string? stream, long bytes)
    {
        var name = stream ?? OtherFiles;
        var counters = _streams.GetOrAdd(name, _ => new StreamCounters());
        Interlocked.Increment(ref counters.OriginRequests);
        Interlocked.Add(ref counters.OriginBytes, bytes);
        var tag = new KeyValuePair<string, object?>("stream", name);
        _originRequests.Add(1, tag);
        _originBytes.Add(bytes, tag);
    }

    public void Redirect(string? stream, long bytes)
    {
        var name = stream ?? OtherFiles;
        var counters = _streams.GetOrAdd(name, _ => new StreamCounters());
        Interlocked.Increment(ref counters.RedirectRequests);
        Interlocked.Add(ref counters.RedirectBytes, bytes);
        var tag = new KeyValuePair<string, object?>("stream", name);
        _redirectRequests.Add(1, tag);
        _redirectBytes.Add(bytes, tag);
    }

    public IReadOnlyDictionary<string, StreamStats> Snapshot() =>
        _streams.ToDictionary(s => s.Key, s => s.Value.Snapshot(), StringComparer.Ordinal);

    private sealed class StreamCounters
    {
        public long OriginRequests;
        public long OriginBytes;
        public long RedirectRequests;
        public long RedirectBytes;

        public StreamStats Snapshot()
        {
            var origin = Interlocked.Read(ref OriginBytes);
            var redirected = Interlocked.Read(ref RedirectBytes);
            return new StreamStats(Interlocked.Read(ref OriginRequests), origin, Interlocked.Read(ref RedirectRequests), redirected,
                origin + redirected == 0 ? 0 : (double)redirected / (origin + redirected));
        }
    }
}
