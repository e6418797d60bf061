using System.Text.Json.Serialization;

namespace Dandelion.Publisher.Placement;

/// <summary>Where a published file stands (docs/PUBLISHER.md, File states).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FileState>))]
public enum FileState
{
    /// <summary>Waiting for a box: none is free, or every attempt so far failed.</summary>
    [JsonStringEnumMemberName("queued")] Queued,
    /// <summary>On its way to at least one box, stored on none yet.</summary>
    [JsonStringEnumMemberName("sending")] Sending,
    /// <summary>Stored on at least one box (see the holders); more copies may be on their way.</summary>
    [JsonStringEnumMemberName("placed")] Placed,
    /// <summary>Given up: the file changed or vanished, or its TTL ran out before any box stored it.</summary>
    [JsonStringEnumMemberName("failed")] Failed,
    /// <summary>Its TTL ran out after it was placed; boxes have deleted it.</summary>
    [JsonStringEnumMemberName("expired")] Expired,
}
