using System.Diagnostics.Metrics;
using Dandelion.Publisher.Boxes;
using Dandelion.Publisher.Telemetry;

namespace Dandelion.Publisher.Placement;

/// <summary>Placement counters on the app's meter, <c>Dandelion.Publisher</c>.</summary>
internal sealed class PlacementMetrics
{
    public const string MeterName = PublisherTraces.Name;

    private readonly Meter _meter;
    private readonly Counter<long> _attempts;
    private readonly Counter<long> _placedBytes;

    public PlacementMetrics(IMeterFactory meters)
    {
        var meter = _meter = meters.Create(MeterName);
        _attempts = meter.CreateCounter<long>("dandelion.publisher.placement.attempts", "{attempt}",
            "Files sent to boxes, by outcome (stored, sent-unconfirmed, refused, timeout, dropped).");
        _placedBytes = meter.CreateCounter<long>("dandelion.publisher.placement.bytes", "By",
            "Bytes of files boxes stored.");
    }

    /// <summary>Gauges read when metrics are collected: open box sessions, and files waiting for a box.</summary>
    public void Observe(Func<int> openBoxes, Func<int> waitingFiles)
    {
        _meter.CreateObservableGauge("dandelion.publisher.boxes.open", openBoxes, "{box}", "Box sessions open.");
        _meter.CreateObservableGauge("dandelion.publisher.files.waiting", waitingFiles, "{file}", "Files queued or sending, stored on no box yet.");
    }

    public void Attempt(AttemptOutcome outcome, long size)
    {
        _attempts.Add(1, new KeyValuePair<string, object?>("outcome", outcome.Word));
        if (outcome.Stored)
            _placedBytes.Add(size);
    }
}
