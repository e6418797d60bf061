namespace Dandelion.EndToEnd.Tests;

/// <summary>One segment the player loaded, as the page logged it (<c>window.dandelionStats.log</c>).</summary>
internal sealed record SegmentLoad(string Name, string Url, string ServedBy, string Host, long Bytes, double At);
