using System.Text.Json.Serialization;

namespace Dandelion.Entrance.Boxes;

/// <summary>An operator's command for one box, published to every entrance on <c>P:commands</c>.</summary>
internal sealed record RelayedCommand(
    [property: JsonPropertyName("BOX")] string BoxId,
    [property: JsonPropertyName("COMMAND")] string Command,
    [property: JsonPropertyName("PUBLISHER")] string? Publisher);

[JsonSerializable(typeof(RelayedCommand))]
internal sealed partial class RelayedCommandJsonContext : JsonSerializerContext;
