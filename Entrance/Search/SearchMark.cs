namespace Dandelion.Entrance.Search;

/// <summary>How a box fared in the last SEARCH it was a candidate in: the <c>last</c> field of <c>P:box:{id}:search</c>.</summary>
internal sealed record SearchMark
{
    [JsonPropertyName("AT")] public long At { get; init; }
    [JsonPropertyName("PUBLISHER")] public string? Publisher { get; init; }
    [JsonPropertyName("SCORE")] public double Score { get; init; }
    [JsonPropertyName("DISTANCE_KM")] public double DistanceKm { get; init; }
    [JsonPropertyName("PARTS")] public required ScoreParts Parts { get; init; }
    /// <summary>1 is best.</summary>
    [JsonPropertyName("RANK")] public int Rank { get; init; }
    [JsonPropertyName("OF")] public int Of { get; init; }
    [JsonPropertyName("CHOSEN")] public bool Chosen { get; init; }
    /// <summary>The version the box speaks: a version 1 box cannot authenticate, and is marked so.</summary>
    [JsonPropertyName("VERSION")] public int Version { get; init; } = 2;
}

[JsonSerializable(typeof(SearchMark))]
internal sealed partial class SearchMarkJsonContext : JsonSerializerContext;
