using Dandelion.Box.Files;
using Dandelion.Box.Machine;
using Dandelion.Box.Node;
using Dandelion.Box.Traffic;

namespace Dandelion.Box.Entrances;

/// <summary>
/// Makes the box's EXCHANGE: version 2 for our entrances, version 1 for original ones, and says
/// what each traffic entry adds to it, so a batch is sized by bytes (<see cref="TrafficBatcher"/>).
/// The connection stamps the box's ID, IP, PORT, TYPE and VERSION.
/// </summary>
internal sealed class ExchangeBuilder(BoxNode node, SystemMonitor system, FileStore store, BandwidthMeter bandwidth, IOptions<BoxOptions> options)
{
    private readonly BoxOptions _options = options.Value;

    public ExchangeRequest Version2(long sequence, IReadOnlyList<TrafficEntry> traffic) => Base() with
    {
        Token = string.IsNullOrEmpty(_options.Token) ? null : _options.Token,
        Sequence = sequence,
        HttpUrl = node.HttpUrl,
        StorageQuota = store.Quota,
        StorageUsed = store.Used,
        Files = store.Count,
        BandwidthCeiling = _options.UploadCeiling,
        BandwidthUsed = bandwidth.BytesPerSecond(_options.UploadRateWindow),
        State = node.State,
        Traffic = traffic,
        Name = node.Name,
        Location = _options.Location is { } at
            ? new StatedLocation { Latitude = at.Latitude, Longitude = at.Longitude, City = at.City, Country = at.Country }
            : null,
    };

    /// <summary>The original's form: figures as text, traffic as <c>"{box_id}:TRAFFIC_FLOW:log-{hex}"</c> keys.</summary>
    public ExchangeRequest Version1(IReadOnlyList<TrafficEntry> traffic)
    {
        var request = Base();
        if (traffic.Count > 0)
        {
            request.Extra = new Dictionary<string, JsonElement>(traffic.Count);
            foreach (var entry in traffic)
            {
                // The key is made from the entry id, so a resend after a lost reply is the same key and counted once.
                request.Extra[V1TrafficKey(node.Id, entry.Id)] = JsonSerializer.SerializeToElement(V1Value(entry), ProtocolJsonContext.Default.TrafficEntryV1);
            }
        }
        return request;
    }

    /// <summary>Bytes one entry adds to a version 2 EXCHANGE: itself and a comma in <c>TRAFFIC</c>.</summary>
    public static int Version2Bytes(TrafficEntry entry) =>
        JsonSerializer.SerializeToUtf8Bytes(entry, ProtocolJsonContext.Default.TrafficEntry).Length + 1;

    /// <summary>Bytes one entry adds to a version 1 EXCHANGE: <c>,"{key}":{value}</c>.</summary>
    public int Version1Bytes(TrafficEntry entry) =>
        V1TrafficKey(node.Id, entry.Id).Length + 4 + JsonSerializer.SerializeToUtf8Bytes(V1Value(entry), ProtocolJsonContext.Default.TrafficEntryV1).Length;

    private static TrafficEntryV1 V1Value(TrafficEntry entry) => new()
    {
        Url = entry.Url,
        Status = entry.Status.ToString(CultureInfo.InvariantCulture),
        Size = entry.Size.ToString(CultureInfo.InvariantCulture),
        DateTime = entry.DateTime,
    };

    public static string V1TrafficKey(string boxId, long id) => $"{boxId}:TRAFFIC_FLOW:log-{id.ToString("x32", CultureInfo.InvariantCulture)}";

    private ExchangeRequest Base()
    {
        var f = system.Sample();
        static string N(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
        static string L(long value) => value.ToString(CultureInfo.InvariantCulture);
        return new ExchangeRequest
        {
            Command = Commands.Exchange,
            ConnectWs = node.ConnectWs,
            CpuHz = N(f.CpuMhz),
            CpuNum = L(f.CpuCount),
            CpuUser = N(f.User),
            CpuSystem = N(f.System),
            CpuNice = N(f.Nice),
            CpuIdle = N(f.Idle),
            CpuIoWait = N(f.IoWait),
            CpuIrq = N(f.Irq),
            CpuSoftIrq = N(f.SoftIrq),
            LoadAverage1 = N(f.Load1),
            LoadAverage5 = N(f.Load5),
            LoadAverage15 = N(f.Load15),
            MemoryTotal = L(f.MemoryTotal),
            MemoryAvailable = L(f.MemoryAvailable),
            DiskTotal = L(f.DiskTotal),
            DiskAvailable = L(f.DiskAvailable),
        };
    }
}
