namespace Dandelion.Shared.Protocol;

/// <summary>
/// A box's heartbeat. The system figures are text, as the original sends them. Version 1
/// traffic entries are extra top-level keys <c>"{box_id}:TRAFFIC_FLOW:log-{hex}"</c>
/// (kept in <see cref="Extra"/>); version 2 sends them as the list <see cref="Traffic"/>.
/// </summary>
public sealed record ExchangeRequest : NodeMessage
{
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

    // Version 2 only.
    /// <summary>Base URL viewers fetch files from, e.g. <c>http://203.0.113.7:8081/</c>.</summary>
    [JsonPropertyName("HTTP_URL")] public string? HttpUrl { get; init; }
    [JsonPropertyName("STORAGE-QUOTA"), JsonConverter(typeof(LenientInt64Converter))] public long? StorageQuota { get; init; }
    [JsonPropertyName("STORAGE-USED"), JsonConverter(typeof(LenientInt64Converter))] public long? StorageUsed { get; init; }
    [JsonPropertyName("FILES"), JsonConverter(typeof(LenientInt64Converter))] public long? Files { get; init; }
    /// <summary>Upload ceiling the household allows, bytes per second.</summary>
    [JsonPropertyName("BANDWIDTH-CEILING"), JsonConverter(typeof(LenientInt64Converter))] public long? BandwidthCeiling { get; init; }
    /// <summary>What the box sent, bytes per second over a sliding window.</summary>
    [JsonPropertyName("BANDWIDTH-USED"), JsonConverter(typeof(LenientInt64Converter))] public long? BandwidthUsed { get; init; }
    /// <summary><c>ACTIVE</c> or <c>DRAINING</c>.</summary>
    [JsonPropertyName("STATE")] public string? State { get; init; }
    /// <summary>Heartbeat number on this session, echoed in the reply.</summary>
    [JsonPropertyName("SEQ"), JsonConverter(typeof(LenientInt64Converter))] public long? Sequence { get; init; }
    [JsonPropertyName("TRAFFIC")] public IReadOnlyList<TrafficEntry>? Traffic { get; init; }
    /// <summary>The name the box's owner gave it (default its host name), shown to operators and viewers.</summary>
    [JsonPropertyName("NAME")] public string? Name { get; init; }
    /// <summary>Where the box's owner says it is; the entrance weighs it against GeoIP.</summary>
    [JsonPropertyName("LOCATION")] public StatedLocation? Location { get; init; }

    /// <summary>Keys this type does not name: version 1 traffic entries and anything newer.</summary>
    // Settable, not init: System.Text.Json cannot fill extension data through an initializer.
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>The entrance's answer to one EXCHANGE.</summary>
public sealed record ExchangeReply : NodeMessage
{
    [JsonPropertyName("ENTRANCE_URLS")] public IReadOnlyList<string>? EntranceUrls { get; init; }
    [JsonPropertyName("MESSAGE")] public string? Message { get; init; }

    // Version 2 only.
    [JsonPropertyName("SEQ"), JsonConverter(typeof(LenientInt64Converter))] public long? Sequence { get; init; }
    /// <summary>Every traffic entry with an id up to this one is counted; the box may forget them.</summary>
    [JsonPropertyName("TRAFFIC_ACK"), JsonConverter(typeof(LenientInt64Converter))] public long? TrafficAck { get; init; }
    /// <summary>Where the entrance places the box (it never takes the box's word for it).</summary>
    [JsonPropertyName("GEO")] public GeoLocation? Geo { get; init; }
    /// <summary>Seconds between heartbeats the entrance expects.</summary>
    [JsonPropertyName("HEARTBEAT"), JsonConverter(typeof(LenientInt64Converter))] public long? HeartbeatSeconds { get; init; }
    /// <summary>Seconds of silence after which the entrance forgets the box.</summary>
    [JsonPropertyName("EXPIRY"), JsonConverter(typeof(LenientInt64Converter))] public long? ExpirySeconds { get; init; }
    /// <summary>The key publish grants are signed with (SubjectPublicKeyInfo, base64), when grants are in use.</summary>
    [JsonPropertyName("GRANT_KEY")] public string? GrantKey { get; init; }
}

/// <summary>Version 2: a command an entrance pushes to a box on its open session.</summary>
public sealed record BoxCommand : NodeMessage
{
    /// <summary>For <c>PURGE</c>: only this publisher's files; absent means every file.</summary>
    [JsonPropertyName("PUBLISHER")] public string? Publisher { get; init; }
}
