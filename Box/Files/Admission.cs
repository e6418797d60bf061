namespace Dandelion.Box.Files;

/// <summary>A file header that passed every check that can be made before the bytes arrive.</summary>
internal sealed record Admission(StorageTarget Target, TimeSpan Ttl, long? DeclaredSize, string? DeclaredSha256);
