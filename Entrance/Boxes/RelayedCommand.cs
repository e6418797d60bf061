namespace Dandelion.Entrance.Boxes;

/// <summary>An operator's command for one box, sent on <c>P:{E}:commands</c> to each entrance E holding one of its sessions.</summary>
internal sealed record RelayedCommand(
    [property: JsonPropertyName("BOX")] string BoxId,
    [property: JsonPropertyName("COMMAND")] string Command,
    [property: JsonPropertyName("PUBLISHER")] string? Publisher);
