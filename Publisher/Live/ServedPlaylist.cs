using Dandelion.Publisher.Placement;

namespace Dandelion.Publisher.Live;

/// <summary>The playlist version viewers get: its rewritten text, and the segments it lists (kept on boxes while it does).</summary>
internal sealed record ServedPlaylist(string Stream, string DiskPath, string SourceText, string Text,
    IReadOnlyList<PublishedFile> Segments, long TtlSeconds, TimeSpan WantedFor);
