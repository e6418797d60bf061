namespace Dandelion.Shared.Protocol;

/// <summary>
/// The original's answer to a message it refuses: its own identity plus <c>ERROR</c>.
/// Version 2 adds <c>CODE</c>, a stable machine-readable reason.
/// </summary>
public sealed record ErrorReply : NodeMessage
{
    [JsonPropertyName("ERROR")]
    public required string Error { get; init; }

    [JsonPropertyName("CODE")]
    public string? Code { get; init; }
}
