namespace Dandelion.Publisher.Placement;

/// <summary>A publishable file: its <c>FILE_PATH</c> (<c>/{root name}/{relative path}</c>) and where it is on disk.</summary>
internal readonly record struct PublishTarget(string FilePath, string DiskPath);
