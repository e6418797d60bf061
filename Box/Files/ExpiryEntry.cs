namespace Dandelion.Box.Files;

/// <summary>
/// A stored file's size and when it expires (unix ms). <see cref="Never"/> is only ever read from
/// the journal of an older box, which kept TTL 0 files for ever; loading gives those an expiry.
/// </summary>
internal readonly record struct ExpiryEntry(long ExpiresAtMs, long Size)
{
    public const long Never = 0;

    public bool IsExpired(long nowMs) => ExpiresAtMs != Never && ExpiresAtMs <= nowMs;
}
