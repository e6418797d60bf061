namespace Dandelion.Shared.Protocol;

/// <summary>A publisher asks an entrance which boxes to use.</summary>
public sealed record SearchRequest : NodeMessage
{
    // Version 2 only.
    /// <summary>How many boxes the publisher wants; the entrance caps it.</summary>
    [JsonPropertyName("COUNT"), JsonConverter(typeof(LenientInt64Converter))] public long? Count { get; init; }
    /// <summary>Rank by distance to this point rather than to the publisher's address.</summary>
    [JsonPropertyName("LOCATION")] public GeoPoint? Location { get; init; }
    /// <summary>Boxes the publisher already holds or has given up on.</summary>
    [JsonPropertyName("EXCLUDE")] public IReadOnlyList<string>? Exclude { get; init; }
    /// <summary>The publisher's name, shown to operators.</summary>
    [JsonPropertyName("NAME")] public string? Name { get; init; }
    /// <summary>What the publisher served so far, per stream, for the operator's offload figures.</summary>
    [JsonPropertyName("STREAMS")] public IReadOnlyList<StreamReport>? Streams { get; init; }
    /// <summary>Boxes the publisher caught serving other bytes than it placed (and no longer uses), for the operator.</summary>
    [JsonPropertyName("DISTRUSTED")] public IReadOnlyList<string>? Distrusted { get; init; }
    /// <summary>True: hand back what boxes served of this publisher's files (the reply's <c>SERVED</c>); costs the entrance one Redis command.</summary>
    [JsonPropertyName("SERVED")] public bool? Served { get; init; }
    /// <summary>The fingerprint of the publisher's viewer URL key: each grant in the reply binds it.</summary>
    [JsonPropertyName("URL_KEY")] public string? UrlKey { get; init; }
}

/// <summary>The entrance's answer: each box's last EXCHANGE, keyed by box id.</summary>
public sealed record SearchReply : NodeMessage
{
    [JsonPropertyName("BOX_SET")] public IReadOnlyDictionary<string, JsonElement>? BoxSet { get; init; }
    [JsonPropertyName("ENTRANCE_URLS")] public IReadOnlyList<string>? EntranceUrls { get; init; }

    // Version 2 only.
    /// <summary>The same boxes, best first, with their scores.</summary>
    [JsonPropertyName("RANKING")] public IReadOnlyList<RankedBox>? Ranking { get; init; }
    /// <summary>Per box id: shown to that box in PUBLISH to prove an entrance vouches for this publisher there (auth on only).</summary>
    [JsonPropertyName("GRANTS")] public IReadOnlyDictionary<string, string>? Grants { get; init; }
    /// <summary>What boxes served of this publisher's files since its previous SEARCH (each count is handed out once).</summary>
    [JsonPropertyName("SERVED")] public IReadOnlyList<ServedReport>? Served { get; init; }
}

/// <summary>Version 2: one box in a SEARCH answer and why it ranks where it does.</summary>
public sealed record RankedBox
{
    [JsonPropertyName("ID")] public required string Id { get; init; }
    [JsonPropertyName("CONNECT_WS")] public string? ConnectWs { get; init; }
    [JsonPropertyName("HTTP_URL")] public string? HttpUrl { get; init; }
    [JsonPropertyName("SCORE")] public double Score { get; init; }
    [JsonPropertyName("DISTANCE_KM")] public double DistanceKm { get; init; }
    [JsonPropertyName("NAME")] public string? Name { get; init; }
    [JsonPropertyName("PARTS")] public required ScoreParts Parts { get; init; }
    [JsonPropertyName("GEO")] public GeoLocation? Geo { get; init; }
}

/// <summary>Each part is in [0, 1], 1 best; the score is their weighted sum.</summary>
public sealed record ScoreParts
{
    [JsonPropertyName("DISTANCE")] public double Distance { get; init; }
    [JsonPropertyName("BANDWIDTH")] public double Bandwidth { get; init; }
    [JsonPropertyName("STORAGE")] public double Storage { get; init; }
    [JsonPropertyName("LOAD")] public double Load { get; init; }
}
