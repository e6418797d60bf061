using System.Diagnostics.Metrics;

namespace Dandelion.Box.Diagnostics;

/// <summary>The box's one meter, <c>Dandelion.Box</c>.</summary>
internal sealed class BoxMetrics
{
    public const string MeterName = "Dandelion.Box";
    private readonly Counter<long> _stored;
    private readonly Counter<long> _storedBytes;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _expired;
    private readonly Counter<long> _servedBytes;
    private readonly Counter<long> _trafficDropped;
    private readonly UpDownCounter<long> _publisherSessions;
    private readonly UpDownCounter<long> _entranceSessions;

    public BoxMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _stored = meter.CreateCounter<long>("dandelion.box.files.stored", "{file}", "Files stored whole and checked.");
        _storedBytes = meter.CreateCounter<long>("dandelion.box.files.stored.size", "By", "Bytes of files stored.");
        _refused = meter.CreateCounter<long>("dandelion.box.files.refused", "{file}", "File frames refused, by reason.");
        _expired = meter.CreateCounter<long>("dandelion.box.files.expired", "{file}", "Files deleted when their TTL passed.");
        _servedBytes = meter.CreateCounter<long>("dandelion.box.served.size", "By", "Bytes served to viewers, as the access log records.");
        _trafficDropped = meter.CreateCounter<long>("dandelion.box.traffic.dropped", "{entry}", "Traffic entries dropped unsent: the outbox was full, or one was too big for any EXCHANGE.");
        _publisherSessions = meter.CreateUpDownCounter<long>("dandelion.box.publisher.sessions", "{session}", "Publisher WebSockets open.");
        _entranceSessions = meter.CreateUpDownCounter<long>("dandelion.box.entrance.sessions", "{session}", "Entrance sessions open.");
    }

    public void FileStored(long bytes)
    {
        _stored.Add(1);
        _storedBytes.Add(bytes);
    }

    public void FileRefused(string code) => _refused.Add(1, new KeyValuePair<string, object?>("reason", code));
    public void FilesExpired(int count) => _expired.Add(count);
    public void Served(long bytes) => _servedBytes.Add(bytes);
    public void TrafficDropped(long count) => _trafficDropped.Add(count);
    public void PublisherSession(int delta) => _publisherSessions.Add(delta);
    public void EntranceSession(int delta) => _entranceSessions.Add(delta);
}
