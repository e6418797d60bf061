namespace Dandelion.Entrance.Boxes;

/// <summary>The serializer of <see cref="GoneEntry"/>: keys absent rather than null.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GoneEntry))]
internal sealed partial class GoneEntryJsonContext : JsonSerializerContext;
