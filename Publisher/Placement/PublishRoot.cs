namespace Dandelion.Publisher.Placement;

/// <summary>A publish directory (full path) and the name its files travel under.</summary>
internal sealed record PublishRoot(string Name, string Directory);
