namespace Dandelion.Publisher.Integrity;

/// <summary>
/// A viewer's word that a box sent bytes whose SHA-256 is not the playlist's: <c>Path</c> is the
/// file as under <c>/media/</c> (e.g. <c>/live/stream-00012.ts</c>), <c>Url</c> the box URL the
/// viewer was redirected to.
/// </summary>
internal sealed record BoxReport(string? Path, string? Url);
