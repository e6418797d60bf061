namespace Dandelion.Shared.Protocol;

/// <summary>
/// The keys every Dandelion text message carries. Values arrive as strings or numbers
/// (see <see cref="LenientStringConverter"/>); <c>PORT</c> stays text so a version 1
/// peer's value is passed on exactly as it was given.
/// </summary>
public abstract record NodeMessage
{
    [JsonPropertyName("ID"), JsonConverter(typeof(LenientStringConverter))]
    public string? Id { get; init; }

    [JsonPropertyName("IP"), JsonConverter(typeof(LenientStringConverter))]
    public string? Ip { get; init; }

    [JsonPropertyName("PORT"), JsonConverter(typeof(LenientStringConverter))]
    public string? Port { get; init; }

    [JsonPropertyName("TYPE"), JsonConverter(typeof(LenientStringConverter))]
    public string? Type { get; init; }

    [JsonPropertyName("COMMAND"), JsonConverter(typeof(LenientStringConverter))]
    public string? Command { get; init; }

    /// <summary>Version 2 and later say so; absent means version 1.</summary>
    [JsonPropertyName("VERSION"), JsonConverter(typeof(LenientInt64Converter))]
    public long? Version { get; init; }

    /// <summary>Version 2: the sender's credential (see docs/PROTOCOL.md, Authentication).</summary>
    [JsonPropertyName("TOKEN")]
    public string? Token { get; init; }

    /// <summary>
    /// Version 2, in a reply to EXCHANGE, SEARCH or PUBLISH: the largest text message, in bytes,
    /// the sender accepts on this connection. A peer never sends a larger one.
    /// </summary>
    [JsonPropertyName("MAX_MESSAGE_BYTES"), JsonConverter(typeof(LenientInt64Converter))]
    public long? MaxMessageBytes { get; init; }

    [JsonIgnore]
    public int SpokenVersion => ProtocolVersion.Of(Version is > int.MaxValue ? int.MaxValue : (int?)Version);

    /// <summary><c>PORT</c> as a number, when it is one.</summary>
    [JsonIgnore]
    public int? PortNumber => int.TryParse(Port, out var port) && port is > 0 and <= 65535 ? port : null;
}

/// <summary>
/// Only the common keys: read first to decide which message a frame is.
/// </summary>
public sealed record MessageHead : NodeMessage;
