namespace Dandelion.Publisher.Placement;

/// <summary>
/// The entry point for code that embeds the publisher: the same placement that
/// <c>POST /api/files</c> and the live directory use, resolved from the host's services.
/// </summary>
public interface IFilePublisher
{
    /// <summary>
    /// Hashes the file and queues it for placement on the configured number of boxes;
    /// returns its state at once. Throws <see cref="PublishRefusedException"/> for a path
    /// outside the publish directories, a missing file, or a full queue.
    /// </summary>
    Task<FileStatus> PublishAsync(string path, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>The state of a file by its <c>FILE_PATH</c>; null when it was never published (or long forgotten).</summary>
    FileStatus? GetStatus(string filePath);

    /// <summary>Waits until the file is placed on a box, failed or expired, and returns its state.</summary>
    Task<FileStatus> WaitAsync(string filePath, CancellationToken cancellationToken);
}
