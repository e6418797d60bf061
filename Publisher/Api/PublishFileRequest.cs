namespace Dandelion.Publisher.Api;

/// <summary>The body of <c>POST /api/files</c>: a file under a publish directory, and its TTL in seconds (default <c>Publisher:DefaultTtl</c>; 0 leaves it to each box's default TTL; at most 365 days).</summary>
internal sealed record PublishFileRequest(string? Path, long? Ttl);
