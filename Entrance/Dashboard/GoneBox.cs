namespace Dandelion.Entrance.Dashboard;

/// <summary>
/// A box that left, newest departure per box (keys as the gone list stores them): why, in a
/// word and a phrase, when, how many times in the list, and whether it is live again.
/// </summary>
internal sealed record GoneBox(
    [property: JsonPropertyName("ID")] string Id,
    [property: JsonPropertyName("NAME")] string? Name,
    [property: JsonPropertyName("REASON")] string Reason,
    [property: JsonPropertyName("WHY")] string Why,
    [property: JsonPropertyName("AT")] long At,
    [property: JsonPropertyName("TIMES")] int Times,
    [property: JsonPropertyName("RETURNED")] bool Returned);
