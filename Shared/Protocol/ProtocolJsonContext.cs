namespace Dandelion.Shared.Protocol;

/// <summary>
/// Source-generated serializers for every message. Null values are left out, as the
/// original never sends a key without a value. A key given twice in one object is refused
/// (<c>bad-json</c>): with "last wins" a message with two <c>ID</c>s would mean one thing to
/// a component that reads the first and another to one that reads the last, and the
/// original (a Python dict) never sends one.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    MaxDepth = 16)]
[JsonSerializable(typeof(MessageHead))]
[JsonSerializable(typeof(ErrorReply))]
[JsonSerializable(typeof(ExchangeRequest))]
[JsonSerializable(typeof(ExchangeReply))]
[JsonSerializable(typeof(BoxCommand))]
[JsonSerializable(typeof(SearchRequest))]
[JsonSerializable(typeof(SearchReply))]
[JsonSerializable(typeof(PublishRequest))]
[JsonSerializable(typeof(PublishReply))]
[JsonSerializable(typeof(FileHeader))]
[JsonSerializable(typeof(FileResult))]
[JsonSerializable(typeof(FilesRemoved))]
[JsonSerializable(typeof(TrafficEntry))]
[JsonSerializable(typeof(TrafficEntryV1))]
[JsonSerializable(typeof(GeoLocation))]
public sealed partial class ProtocolJsonContext : JsonSerializerContext;
