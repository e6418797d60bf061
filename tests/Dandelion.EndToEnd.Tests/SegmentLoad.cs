namespace Dandelion.EndToEnd.Tests;

/// <summary>One segment the player loaded, as the page logged it (<c>window.dandelionStats.log</c>).</summary>
/// <param name="BoxName">The serving box's name as the page showed it; null before the page knew the names.</param>
internal sealed record SegmentLoad(string Name, string Url, string ServedBy, string Host, long Bytes, double At, string? BoxName = null);
