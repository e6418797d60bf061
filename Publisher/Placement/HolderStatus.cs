namespace Dandelion.Publisher.Placement;

/// <summary>
/// One box holding a file. <see cref="Confirmed"/> is true when the box answered
/// <c>STORED</c> with the file's SHA256; a version 1 box never answers, so a file sent to it
/// whole counts as placed but unconfirmed.
/// </summary>
public sealed record HolderStatus(string Box, string? Url, bool Confirmed, DateTimeOffset StoredAt, DateTimeOffset ExpiresAt);
