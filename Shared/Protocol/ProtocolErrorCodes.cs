namespace Dandelion.Shared.Protocol;

/// <summary>Stable reasons for refusing a message, sent as <c>CODE</c> in version 2.</summary>
public static class ProtocolErrorCodes
{
    public const string BadJson = "bad-json";
    public const string MissingField = "missing-field";
    public const string UnknownCommand = "unknown-command";
    public const string UnknownType = "unknown-type";
    public const string TooBig = "too-big";
    public const string BinaryNotAccepted = "binary-not-accepted";
    public const string Unauthorized = "unauthorized";
    public const string RateLimited = "rate-limited";
    public const string Timeout = "timeout";
    public const string BadFrame = "bad-frame";
    public const string BadPath = "bad-path";
    public const string BadTtl = "bad-ttl";
    public const string SizeMismatch = "size-mismatch";
    public const string HashMismatch = "sha256-mismatch";
    public const string QuotaExceeded = "quota-exceeded";
    public const string Draining = "draining";
    public const string Unavailable = "unavailable";
}
