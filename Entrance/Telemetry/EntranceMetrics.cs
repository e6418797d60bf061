using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Dandelion.Entrance.Telemetry;

/// <summary>The entrance's one <see cref="Meter"/>, <c>Dandelion.Entrance</c>.</summary>
internal sealed class EntranceMetrics
{
    public const string MeterName = "Dandelion.Entrance";

    private readonly UpDownCounter<long> _sessions;
    private readonly UpDownCounter<long> _connections;
    private readonly TimedCount _exchanges;
    private readonly TimedCount _searches;
    private readonly Counter<long> _refusals;

    public EntranceMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _sessions = meter.CreateUpDownCounter<long>("dandelion.entrance.sessions", "{session}", "Version 2 box sessions open on this entrance.");
        _connections = meter.CreateUpDownCounter<long>("dandelion.entrance.connections", "{connection}", "WebSockets open on this entrance.");
        _exchanges = new TimedCount(meter.CreateCounter<long>("dandelion.entrance.exchanges", "{exchange}", "EXCHANGEs answered."),
            meter.CreateHistogram<double>("dandelion.entrance.exchange.duration", "s", "Time to handle one EXCHANGE."));
        _searches = new TimedCount(meter.CreateCounter<long>("dandelion.entrance.searches", "{search}", "SEARCHes answered."),
            meter.CreateHistogram<double>("dandelion.entrance.search.duration", "s", "Time to handle one SEARCH."));
        _refusals = meter.CreateCounter<long>("dandelion.entrance.refusals", "{message}", "Messages refused, by CODE.");
    }

    public void SessionOpened() => _sessions.Add(1);
    public void SessionClosed() => _sessions.Add(-1);
    public void Connections(int delta) => _connections.Add(delta);

    public void Exchanged(long startTimestamp, TimeProvider time, int version) => _exchanges.Record(startTimestamp, time, version);
    public void Searched(long startTimestamp, TimeProvider time, int version) => _searches.Record(startTimestamp, time, version);
    public void Refused(string code) => _refusals.Add(1, new KeyValuePair<string, object?>("dandelion.code", code));

    /// <summary>Messages of one kind answered and the time each took, both tagged with the protocol version the peer spoke.</summary>
    private sealed class TimedCount(Counter<long> count, Histogram<double> duration)
    {
        public void Record(long startTimestamp, TimeProvider time, int version)
        {
            var tag = new KeyValuePair<string, object?>("dandelion.version", version);
            count.Add(1, tag);
            duration.Record(time.GetElapsedTime(startTimestamp).TotalSeconds, tag);
        }
    }
}
