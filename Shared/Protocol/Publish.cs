namespace Dandelion.Shared.Protocol;

/// <summary>A publisher opens a file channel to a box.</summary>
public sealed record PublishRequest : NodeMessage
{
    /// <summary>Version 2: the grant an entrance gave this publisher in SEARCH.</summary>
    [JsonPropertyName("GRANT")] public string? Grant { get; init; }
    /// <summary>Version 2: the publisher's viewer URL key (base64url), taken only when <c>GRANT</c> binds its fingerprint.</summary>
    [JsonPropertyName("URL_KEY")] public string? UrlKey { get; init; }
}

/// <summary>The box's answer to PUBLISH; after it, the socket carries file frames.</summary>
public sealed record PublishReply : NodeMessage
{
    [JsonPropertyName("MESSAGE")] public string? Message { get; init; }

    // Version 2 only.
    [JsonPropertyName("MAX_FILE_SIZE"), JsonConverter(typeof(LenientInt64Converter))] public long? MaxFileSize { get; init; }
    [JsonPropertyName("HTTP_URL")] public string? HttpUrl { get; init; }
}

/// <summary>
/// The JSON between <c>&lt;Dandelion&gt;</c> and <c>&lt;/Dandelion&gt;</c> in a file frame.
/// <c>TTL</c> stays text so that a bad value is refused with a reason, not a parse error.
/// </summary>
public sealed record FileHeader
{
    [JsonPropertyName("FILE_PATH")] public string? FilePath { get; init; }
    [JsonPropertyName("TTL"), JsonConverter(typeof(LenientStringConverter))] public string? Ttl { get; init; }

    // Version 2 only: the box checks both before the file becomes visible.
    [JsonPropertyName("SIZE"), JsonConverter(typeof(LenientInt64Converter))] public long? Size { get; init; }
    /// <summary>Lower-case hex SHA-256 of the file bytes.</summary>
    [JsonPropertyName("SHA256")] public string? Sha256 { get; init; }

    // Settable, not init: System.Text.Json cannot fill extension data through an initializer.
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>Version 2: a box's answer to one file frame, <c>STORED</c> or <c>REFUSED</c>.</summary>
public sealed record FileResult : NodeMessage
{
    [JsonPropertyName("FILE_PATH")] public string? FilePath { get; init; }
    [JsonPropertyName("SHA256")] public string? Sha256 { get; init; }
    [JsonPropertyName("SIZE"), JsonConverter(typeof(LenientInt64Converter))] public long? Size { get; init; }
    /// <summary>For STORED: where viewers fetch it.</summary>
    [JsonPropertyName("URL")] public string? Url { get; init; }
    /// <summary>For STORED: the seconds the box keeps it, after its default and maximum were applied.</summary>
    [JsonPropertyName("TTL"), JsonConverter(typeof(LenientInt64Converter))] public long? Ttl { get; init; }
    /// <summary>For REFUSED: why, in words and as a <see cref="ProtocolErrorCodes"/> value.</summary>
    [JsonPropertyName("ERROR")] public string? Error { get; init; }
    [JsonPropertyName("CODE")] public string? Code { get; init; }
}

/// <summary>
/// Version 2: a box tells a publisher, on its open file channel, that files it stored for it
/// are gone (expired, purged, missing from its disk), so no viewer is sent there for them.
/// </summary>
public sealed record FilesRemoved : NodeMessage
{
    /// <summary>A text message of paths stays under this, well inside a publisher's 64 KiB limit.</summary>
    public const int MaxPathBytes = 32 * 1024;

    [JsonPropertyName("FILE_PATHS")] public List<string>? FilePaths { get; init; }
}
