namespace Dandelion.Publisher.Integrity;

/// <summary>What the publisher's own fetch of a reported copy found.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReportVerdict>))]
internal enum ReportVerdict
{
    /// <summary>The box sent the right bytes: the report was wrong, nothing changes.</summary>
    [JsonStringEnumMemberName("good")] Good,
    /// <summary>The box sent other bytes: it is distrusted.</summary>
    [JsonStringEnumMemberName("confirmed")] Confirmed,
    /// <summary>The box did not answer with the file (gone, frozen, expired): nothing is decided.</summary>
    [JsonStringEnumMemberName("unreachable")] Unreachable,
}
