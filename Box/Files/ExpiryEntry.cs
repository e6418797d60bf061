namespace Dandelion.Box.Files;

/// <summary>A stored file's size and when it expires (unix ms; <see cref="Never"/> when it is kept).</summary>
internal readonly record struct ExpiryEntry(long ExpiresAtMs, long Size)
{
    public const long Never = 0;

    public bool IsExpired(long nowMs) => ExpiresAtMs != Never && ExpiresAtMs <= nowMs;
}
