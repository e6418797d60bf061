using System.Text.Json.Serialization;

namespace Dandelion.Entrance.Boxes;

/// <summary>A box that left the indexes: why (<c>expired</c> or <c>closed</c>) and when (unix ms).</summary>
internal sealed record GoneBox(
    [property: JsonPropertyName("ID")] string Id,
    [property: JsonPropertyName("REASON")] string Reason,
    [property: JsonPropertyName("AT")] long At);
