namespace Dandelion.Shared.Protocol;

/// <summary>One stream's totals since the publisher started (<c>STREAMS</c> in a version 2 SEARCH).</summary>
public sealed record StreamReport
{
    [JsonPropertyName("NAME")] public required string Name { get; init; }
    /// <summary>Bytes the publisher served itself.</summary>
    [JsonPropertyName("ORIGIN_BYTES")] public long OriginBytes { get; init; }
    /// <summary>Bytes boxes reported having served (their traffic, as <c>SERVED</c> handed it back).</summary>
    [JsonPropertyName("BOX_BYTES")] public long BoxBytes { get; init; }
    [JsonPropertyName("ORIGIN_REQUESTS")] public long OriginRequests { get; init; }
    [JsonPropertyName("BOX_REQUESTS")] public long BoxRequests { get; init; }
    /// <summary>Bytes of the files it redirected viewers to boxes for (a redirect is not a delivery).</summary>
    [JsonPropertyName("REDIRECT_BYTES")] public long RedirectBytes { get; init; }
    [JsonPropertyName("REDIRECT_REQUESTS")] public long RedirectRequests { get; init; }
}
