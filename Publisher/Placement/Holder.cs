namespace Dandelion.Publisher.Placement;

/// <summary>A box holding a file's current content until <see cref="ExpiresAt"/> (its TTL from storing).</summary>
internal sealed record Holder(string BoxId, string? Url, bool Confirmed, DateTimeOffset StoredAt, DateTimeOffset ExpiresAt);
