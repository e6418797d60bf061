using Dandelion.Entrance.Geo;

namespace Dandelion.Entrance.Redis;

/// <summary>
/// What is stored for a box, and answered as its <c>BOX_SET</c> value: the keys of its last
/// EXCHANGE as it sent them (docs/PROTOCOL.md), without traffic entries (counted apart) or
/// <c>TOKEN</c> (a credential), with the <c>GEO</c> the entrance computed in place of anything
/// the box claimed (and <c>GEOIP</c>, GeoIP's answer, when the owner's <c>LOCATION</c> was used
/// instead), <c>LOCATION</c> as the entrance read it (labels cleaned, a city's coordinates
/// looked up; <c>LOCATION_NOTE</c> says how), and <c>NAME</c> cleaned (<see cref="NodeName"/>; version 2 only). Keys the protocol does not name are not kept. Written and read only through
/// <see cref="StoredBoxJsonContext"/>: SEARCH, the operator API and the dashboard read this type.
/// </summary>
internal sealed record StoredBox
{
    [JsonPropertyName("ID")] public required string Id { get; init; }
    [JsonPropertyName("IP"), JsonConverter(typeof(LenientStringConverter))] public string? Ip { get; init; }
    [JsonPropertyName("PORT"), JsonConverter(typeof(LenientStringConverter))] public string? Port { get; init; }
    [JsonPropertyName("TYPE"), JsonConverter(typeof(LenientStringConverter))] public string? Type { get; init; }
    [JsonPropertyName("COMMAND"), JsonConverter(typeof(LenientStringConverter))] public string? Command { get; init; }
    [JsonPropertyName("VERSION"), JsonConverter(typeof(LenientInt64Converter))] public long? Version { get; init; }
    [JsonPropertyName("SEQ"), JsonConverter(typeof(LenientInt64Converter))] public long? Sequence { get; init; }
    [JsonPropertyName("CONNECT_WS"), JsonConverter(typeof(LenientStringConverter))] public string? ConnectWs { get; init; }
    [JsonPropertyName("CPU-HZ"), JsonConverter(typeof(LenientStringConverter))] public string? CpuHz { get; init; }
    [JsonPropertyName("CPU-NUM"), JsonConverter(typeof(LenientStringConverter))] public string? CpuNum { get; init; }
    [JsonPropertyName("CPU-USR"), JsonConverter(typeof(LenientStringConverter))] public string? CpuUser { get; init; }
    [JsonPropertyName("CPU-SYS"), JsonConverter(typeof(LenientStringConverter))] public string? CpuSystem { get; init; }
    [JsonPropertyName("CPU-NIC"), JsonConverter(typeof(LenientStringConverter))] public string? CpuNice { get; init; }
    [JsonPropertyName("CPU-IDLE"), JsonConverter(typeof(LenientStringConverter))] public string? CpuIdle { get; init; }
    [JsonPropertyName("CPU-IO"), JsonConverter(typeof(LenientStringConverter))] public string? CpuIoWait { get; init; }
    [JsonPropertyName("CPU-IRQ"), JsonConverter(typeof(LenientStringConverter))] public string? CpuIrq { get; init; }
    [JsonPropertyName("CPU-SIRQ"), JsonConverter(typeof(LenientStringConverter))] public string? CpuSoftIrq { get; init; }
    [JsonPropertyName("LOADAVG-1"), JsonConverter(typeof(LenientStringConverter))] public string? LoadAverage1 { get; init; }
    [JsonPropertyName("LOADAVG-5"), JsonConverter(typeof(LenientStringConverter))] public string? LoadAverage5 { get; init; }
    [JsonPropertyName("LOADAVG-15"), JsonConverter(typeof(LenientStringConverter))] public string? LoadAverage15 { get; init; }
    [JsonPropertyName("MEM-TOTAL"), JsonConverter(typeof(LenientStringConverter))] public string? MemoryTotal { get; init; }
    [JsonPropertyName("MEM-AVAIL"), JsonConverter(typeof(LenientStringConverter))] public string? MemoryAvailable { get; init; }
    [JsonPropertyName("DISK-TOTAL"), JsonConverter(typeof(LenientStringConverter))] public string? DiskTotal { get; init; }
    [JsonPropertyName("DISK-AVAIL"), JsonConverter(typeof(LenientStringConverter))] public string? DiskAvailable { get; init; }
    [JsonPropertyName("HTTP_URL"), JsonConverter(typeof(LenientStringConverter))] public string? HttpUrl { get; init; }
    [JsonPropertyName("STORAGE-QUOTA"), JsonConverter(typeof(LenientInt64Converter))] public long? StorageQuota { get; init; }
    [JsonPropertyName("STORAGE-USED"), JsonConverter(typeof(LenientInt64Converter))] public long? StorageUsed { get; init; }
    [JsonPropertyName("FILES"), JsonConverter(typeof(LenientInt64Converter))] public long? Files { get; init; }
    [JsonPropertyName("BANDWIDTH-CEILING"), JsonConverter(typeof(LenientInt64Converter))] public long? BandwidthCeiling { get; init; }
    [JsonPropertyName("BANDWIDTH-USED"), JsonConverter(typeof(LenientInt64Converter))] public long? BandwidthUsed { get; init; }
    [JsonPropertyName("STATE"), JsonConverter(typeof(LenientStringConverter))] public string? State { get; init; }
    [JsonPropertyName("NAME")] public string? Name { get; init; }
    [JsonPropertyName("LOCATION")] public StatedLocation? Location { get; init; }
    [JsonPropertyName("GEO")] public required GeoLocation Geo { get; init; }
    [JsonPropertyName("GEOIP")] public GeoLocation? GeoIp { get; init; }
    /// <summary>How a stated city was looked up (<see cref="Gazetteer"/>'s notes), e.g. "unknown city".</summary>
    [JsonPropertyName("LOCATION_NOTE")] public string? LocationNote { get; init; }

    /// <summary>The network the box connected from (<c>Geo/BoxNetwork</c>), set by the entrance; null when not public.</summary>
    [JsonPropertyName("NETWORK")] public string? Network { get; init; }

    /// <summary>
    /// The upload bandwidth, bytes/s, the entrance believes the box has (what the operator allows
    /// and what it was seen to serve), added by the heartbeat script as it writes the record
    /// (<c>Boxes/HeartbeatScript</c>); never taken from the box.
    /// </summary>
    [JsonPropertyName("BANDWIDTH-BELIEVED")] public long? BandwidthBelieved { get; init; }

    /// <summary>1 or 2, as the box spoke in the EXCHANGE stored.</summary>
    [JsonIgnore] public int SpokenVersion => Version is >= ProtocolVersion.V2 ? ProtocolVersion.V2 : 1;

    /// <summary>The record for an EXCHANGE, placed where the entrance put it; <paramref name="name"/> already cleaned (both null for version 1).</summary>
    /// <param name="network">The network the box connected from (<c>Geo/BoxNetwork</c>), null when not public.</param>
    public static StoredBox From(ExchangeRequest exchange, Placement placement, string? name, string? network = null) => new()
    {
        Id = exchange.Id!,
        Ip = exchange.Ip,
        Port = exchange.Port,
        Type = exchange.Type,
        Command = exchange.Command,
        Version = exchange.Version,
        Sequence = exchange.Sequence,
        ConnectWs = exchange.ConnectWs,
        CpuHz = exchange.CpuHz,
        CpuNum = exchange.CpuNum,
        CpuUser = exchange.CpuUser,
        CpuSystem = exchange.CpuSystem,
        CpuNice = exchange.CpuNice,
        CpuIdle = exchange.CpuIdle,
        CpuIoWait = exchange.CpuIoWait,
        CpuIrq = exchange.CpuIrq,
        CpuSoftIrq = exchange.CpuSoftIrq,
        LoadAverage1 = exchange.LoadAverage1,
        LoadAverage5 = exchange.LoadAverage5,
        LoadAverage15 = exchange.LoadAverage15,
        MemoryTotal = exchange.MemoryTotal,
        MemoryAvailable = exchange.MemoryAvailable,
        DiskTotal = exchange.DiskTotal,
        DiskAvailable = exchange.DiskAvailable,
        HttpUrl = exchange.HttpUrl,
        StorageQuota = exchange.StorageQuota,
        StorageUsed = exchange.StorageUsed,
        Files = exchange.Files,
        BandwidthCeiling = exchange.BandwidthCeiling,
        BandwidthUsed = exchange.BandwidthUsed,
        State = exchange.State,
        Name = name,
        Location = placement.Stated,
        LocationNote = placement.StatedNote,
        Geo = placement.Used,
        GeoIp = placement.GeoIpUnused,
        Network = network,
    };

    public byte[] ToUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, StoredBoxJsonContext.Default.StoredBox);

    /// <summary>The one reader of stored boxes; null for bytes that are not one (a key someone else wrote).</summary>
    public static StoredBox? Read(ReadOnlySpan<byte> utf8)
    {
        try
        {
            return JsonSerializer.Deserialize(utf8, StoredBoxJsonContext.Default.StoredBox);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
