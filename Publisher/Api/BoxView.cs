namespace Dandelion.Publisher.Api;

/// <summary>An open box session as <c>GET /api/boxes</c> shows it.</summary>
internal sealed record BoxView(string Id, int Version, string? HttpUrl, double Score, long PendingBytes, long PlacedBytes, long Redirects, DateTimeOffset OpenedAt);
