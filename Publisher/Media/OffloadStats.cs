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

    public void Origin(string? stream, long bytes) =>
        Count(stream, bytes, c => c.Origin, _originRequests, _originBytes);

    public void Redirect(string? stream, long bytes) =>
        Count(stream, bytes, c => c.Redirected, _redirectRequests, _redirectBytes);

    public IReadOnlyDictionary<string, StreamStats> Snapshot() =>
        _streams.ToDictionary(s => s.Key, s => s.Value.Snapshot(), StringComparer.Ordinal);

    private void Count(string? stream, long bytes, Func<StreamCounters, Tally> which, Counter<long> requests, Counter<long> bytesServed)
    {
        var name = stream ?? OtherFiles;
        var tally = which(_streams.GetOrAdd(name, _ => new StreamCounters()));
        Interlocked.Increment(ref tally.Requests);
        Interlocked.Add(ref tally.Bytes, bytes);
        var tag = new KeyValuePair<string, object?>("stream", name);
        requests.Add(1, tag);
        bytesServed.Add(bytes, tag);
    }

    private sealed class Tally
    {
        public long Requests;
        public long Bytes;
    }

    private sealed class StreamCounters
    {
        public Tally Origin { get; } = new();
        public Tally Redirected { get; } = new();

        public StreamStats Snapshot()
        {
            var origin = Interlocked.Read(ref Origin.Bytes);
            var redirected = Interlocked.Read(ref Redirected.Bytes);
            return new StreamStats(Interlocked.Read(ref Origin.Requests), origin, Interlocked.Read(ref Redirected.Requests), redirected,
                origin + redirected == 0 ? 0 : (double)redirected / (origin + redirected));
        }
    }
}
