namespace Dandelion.Publisher.Media;

/// <summary>The <c>?json=1</c> answer of <c>/media/</c>: the holders best first; empty when the origin serves the file.</summary>
internal sealed record MediaHolders(string Path, IReadOnlyList<MediaHolder> Holders);
