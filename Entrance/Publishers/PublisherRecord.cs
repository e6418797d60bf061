namespace Dandelion.Entrance.Publishers;

/// <summary>A publisher as its last SEARCH showed it (<c>P:publisher:{id}</c>): the dashboard draws it on the map and sums its streams.</summary>
internal sealed record PublisherRecord
{
    [JsonPropertyName("ID")] public required string Id { get; init; }
    [JsonPropertyName("NAME")] public string? Name { get; init; }
    [JsonPropertyName("AT")] public long At { get; init; }
    [JsonPropertyName("GEO")] public GeoLocation? Geo { get; init; }
    [JsonPropertyName("STREAMS")] public IReadOnlyList<StreamReport> Streams { get; init; } = [];
    /// <summary>Boxes this publisher caught serving altered files and no longer uses (ids, at most 32).</summary>
    [JsonPropertyName("DISTRUSTED")] public IReadOnlyList<string> Distrusted { get; init; } = [];
}

[JsonSerializable(typeof(PublisherRecord))]
internal sealed partial class PublisherJsonContext : JsonSerializerContext;
