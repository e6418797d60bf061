using System.Diagnostics.Metrics;

namespace Dandelion.Publisher.Telemetry;

/// <summary>
/// Per stream (a live stream's name, or <c>files</c> for files no playlist lists): what the
/// origin sent itself, what boxes reported having served, and the redirects sent, for
/// <c>/api/stats</c> and as metrics on <c>Dandelion.Publisher</c>.
/// </summary>
internal sealed class OffloadStats
{
    public const string OtherFiles = "files";

    /// <summary>Redirected and delivered box bytes may differ by this share of the larger before <see cref="StreamStats.Disagreement"/> says so.</summary>
    public const double Tolerance = 0.05;

    private readonly ConcurrentDictionary<string, StreamCounters> _streams = new(StringComparer.Ordinal);
    private readonly Func<string, string?> _streamOf;
    private readonly Instruments _origin;
    private readonly Instruments _box;
    private readonly Instruments _redirect;

    /// <param name="streamOf">The stream a published file belongs to (placement knows), null for none.</param>
    public OffloadStats(IMeterFactory meters, Func<string, string?> streamOf)
    {
        _streamOf = streamOf;
        var meter = meters.Create(PublisherTraces.Name);
        _origin = new Instruments(meter, "origin", "Media requests the publisher served from its own disk.", "Bytes the publisher sent to viewers from its own disk.");
        _box = new Instruments(meter, "box", "Requests for this publisher's files that boxes reported serving.", "Bytes of this publisher's files that boxes reported serving.");
        _redirect = new Instruments(meter, "redirect", "Media requests redirected to a box.", "Sizes of the files redirected to boxes (a redirect, not a delivery).");
    }

    /// <summary>A request the origin answers itself; its bytes follow as they are sent (<see cref="OriginSent"/>).</summary>
    public void Origin(string? stream) =>
        Count(stream, 1, 0, c => c.Origin, _origin);

    /// <summary>Bytes the origin handed to Kestrel for a viewer: a range, a HEAD or a viewer who leaves mid-file counts what was sent.</summary>
    public void OriginSent(string? stream, long bytes) =>
        Count(stream, 0, bytes, c => c.Origin, _origin);

    public void Redirect(string? stream, long bytes) =>
        Count(stream, 1, bytes, c => c.Redirected, _redirect);

    /// <summary>What boxes reported having served, per file, as an entrance's SEARCH reply handed it back.</summary>
    public void Delivered(IEnumerable<ServedReport> served)
    {
        foreach (var file in served)
        {
            if (file.Bytes < 0 || file.Requests < 0)
                continue;
            Count(StreamOf(file.Path), file.Requests, file.Bytes, c => c.Box, _box);
        }
    }

    public IReadOnlyDictionary<string, StreamStats> Snapshot() =>
        _streams.ToDictionary(s => s.Key, s => s.Value.Snapshot(), StringComparer.Ordinal);

    private string? StreamOf(string path) => path.Length == 0 ? null : _streamOf(path);

    private void Count(string? stream, long count, long bytes, Func<StreamCounters, Tally> which, Instruments instruments)
    {
        var name = stream ?? OtherFiles;
        var tally = which(_streams.GetOrAdd(name, _ => new StreamCounters()));
        Interlocked.Add(ref tally.Requests, count);
        Interlocked.Add(ref tally.Bytes, bytes);
        var tag = new KeyValuePair<string, object?>("stream", name);
        if (count != 0)
            instruments.Requests.Add(count, tag);
        if (bytes != 0)
            instruments.Bytes.Add(bytes, tag);
    }

    /// <summary>A way viewers got bytes (<c>origin</c>, <c>box</c>, <c>redirect</c>): <c>dandelion.publisher.{way}.requests</c> and <c>.bytes</c>.</summary>
    private sealed class Instruments(Meter meter, string way, string requests, string bytes)
    {
        public Counter<long> Requests { get; } = meter.CreateCounter<long>($"dandelion.publisher.{way}.requests", "{request}", requests);
        public Counter<long> Bytes { get; } = meter.CreateCounter<long>($"dandelion.publisher.{way}.bytes", "By", bytes);
    }

    private sealed class Tally
    {
        public long Requests;
        public long Bytes;
    }

    private sealed class StreamCounters
    {
        public Tally Origin { get; } = new();
        public Tally Box { get; } = new();
        public Tally Redirected { get; } = new();

        public StreamStats Snapshot()
        {
            var origin = Interlocked.Read(ref Origin.Bytes);
            var box = Interlocked.Read(ref Box.Bytes);
            var redirected = Interlocked.Read(ref Redirected.Bytes);
            return new StreamStats(Interlocked.Read(ref Origin.Requests), origin, Interlocked.Read(ref Redirected.Requests), redirected,
                Share(box, origin), Interlocked.Read(ref Box.Requests), box, Share(redirected, origin), Disagreement(redirected, box));
        }

        private static double Share(long part, long origin) => part + origin == 0 ? 0 : (double)part / (part + origin);

        private static string? Disagreement(long redirected, long box) =>
            Math.Abs(redirected - box) <= Tolerance * Math.Max(redirected, box) ? null : string.Create(CultureInfo.InvariantCulture,
                $"redirects pointed viewers at {redirected} bytes on boxes; boxes reported delivering {box}: boxes report a few seconds late, and a lasting gap means viewers' box fetches failed or were retried.");
    }
}
