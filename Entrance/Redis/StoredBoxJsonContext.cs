namespace Dandelion.Entrance.Redis;

/// <summary>The serializer of <see cref="StoredBox"/>: keys absent rather than null, as boxes send them.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StoredBox))]
internal sealed partial class StoredBoxJsonContext : JsonSerializerContext;
