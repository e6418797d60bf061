using System.Diagnostics.Metrics;
using Dandelion.Publisher.Boxes;

namespace Dandelion.Publisher.Placement;

/// <summary>Placement counters on the app's meter, <c>Dandelion.Publisher</c>.</summary>
internal sealed class PlacementMetrics
{
    public const string MeterName = "Dandelion.Publisher";

    private readonly Counter<long> _attempts;
    private readonly Counter<long> _placedBytes;

    public PlacementMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _attempts = meter.CreateCounter<long>("dandelion.publisher.placement.attempts", "{attempt}",
            "Files sent to boxes, by outcome (stored, sent-unconfirmed, refused, timeout, dropped).");
        _placedBytes = meter.CreateCounter<long>("dandelion.publisher.placement.bytes", "By",
            "Bytes of files boxes stored.");
    }

    public void Attempt(AttemptOutcome outcome, long size)
    {
        _attempts.Add(1, new KeyValuePair<string, object?>("outcome", outcome.Word));
        if (outcome.Stored)
            _placedBytes.Add(size);
    }
}
