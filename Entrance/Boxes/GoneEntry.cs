namespace Dandelion.Entrance.Boxes;

/// <summary>
/// A box that left the indexes, as a bucket's gone list stores it: why (<see cref="GoneReasons"/>),
/// when (unix ms), and its <c>NAME</c> when it had one.
/// </summary>
internal sealed record GoneEntry(
    [property: JsonPropertyName("ID")] string Id,
    [property: JsonPropertyName("REASON")] string Reason,
    [property: JsonPropertyName("AT")] long At,
    [property: JsonPropertyName("NAME")] string? Name = null);
