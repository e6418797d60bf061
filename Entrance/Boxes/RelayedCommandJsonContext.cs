namespace Dandelion.Entrance.Boxes;

/// <summary>Source-generated JSON for <see cref="RelayedCommand"/>.</summary>
[JsonSerializable(typeof(RelayedCommand))]
internal sealed partial class RelayedCommandJsonContext : JsonSerializerContext;
