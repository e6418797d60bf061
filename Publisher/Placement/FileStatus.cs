namespace Dandelion.Publisher.Placement;

/// <summary>A published file as <c>GET /api/files/{path}</c> and <see cref="IFilePublisher"/> report it.</summary>
public sealed record FileStatus
{
    /// <summary>The <c>FILE_PATH</c> boxes know it by, <c>/{publish directory name}/{relative path}</c>.</summary>
    public required string Path { get; init; }
    public required FileState State { get; init; }
    public required long Size { get; init; }
    public required string Sha256 { get; init; }
    /// <summary>The TTL sent to boxes, seconds; 0 keeps the file.</summary>
    public required long TtlSeconds { get; init; }
    /// <summary>The live stream that lists it, if any.</summary>
    public string? Stream { get; init; }
    public required DateTimeOffset SubmittedAt { get; init; }
    /// <summary>Until when the publisher keeps it on boxes; null when kept for good.</summary>
    public DateTimeOffset? WantedUntil { get; init; }
    /// <summary>Boxes that hold it now.</summary>
    public required IReadOnlyList<HolderStatus> Holders { get; init; }
    /// <summary>Boxes it is on its way to.</summary>
    public required IReadOnlyList<string> SendingTo { get; init; }
    /// <summary>The latest attempts, newest last.</summary>
    public required IReadOnlyList<AttemptStatus> Attempts { get; init; }
    /// <summary>Why it failed, or why it is still queued.</summary>
    public string? Error { get; init; }
}
