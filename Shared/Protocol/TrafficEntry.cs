namespace Dandelion.Shared.Protocol;

/// <summary>
/// Version 2: one request a box served. <c>ID</c> rises by one per entry for the life
/// of the box's identity, which lets an entrance count each exactly once.
/// </summary>
public sealed record TrafficEntry
{
    [JsonPropertyName("ID"), JsonConverter(typeof(LenientInt64Converter))] public long Id { get; init; }
    [JsonPropertyName("URL")] public string? Url { get; init; }
    [JsonPropertyName("STATUS"), JsonConverter(typeof(LenientInt64Converter))] public long Status { get; init; }
    [JsonPropertyName("SIZE"), JsonConverter(typeof(LenientInt64Converter))] public long Size { get; init; }
    /// <summary>When it was served, nginx style: <c>27/Sep/2017:03:20:10 +0000</c>.</summary>
    [JsonPropertyName("DATETIME")] public string? DateTime { get; init; }
}

/// <summary>
/// Version 1: the value of a <c>"{box_id}:TRAFFIC_FLOW:log-{hex}"</c> key, all strings.
/// </summary>
public sealed record TrafficEntryV1
{
    [JsonPropertyName("url"), JsonConverter(typeof(LenientStringConverter))] public string? Url { get; init; }
    [JsonPropertyName("status"), JsonConverter(typeof(LenientStringConverter))] public string? Status { get; init; }
    [JsonPropertyName("size"), JsonConverter(typeof(LenientStringConverter))] public string? Size { get; init; }
    [JsonPropertyName("datetime"), JsonConverter(typeof(LenientStringConverter))] public string? DateTime { get; init; }
}
