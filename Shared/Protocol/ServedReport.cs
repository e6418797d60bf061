namespace Dandelion.Shared.Protocol;

/// <summary>
/// Version 2 (<c>SERVED</c> in a SEARCH reply): what boxes reported having served of one of the
/// searching publisher's files since its previous SEARCH, from their access-log traffic (2xx
/// answers only). <c>PATH</c> is the file's <c>FILE_PATH</c>; <c>""</c> gathers files past the
/// entrance's limit.
/// </summary>
public sealed record ServedReport
{
    [JsonPropertyName("PATH")] public required string Path { get; init; }
    [JsonPropertyName("BYTES"), JsonConverter(typeof(LenientInt64Converter))] public long Bytes { get; init; }
    [JsonPropertyName("REQUESTS"), JsonConverter(typeof(LenientInt64Converter))] public long Requests { get; init; }
}
