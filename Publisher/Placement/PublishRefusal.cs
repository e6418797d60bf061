namespace Dandelion.Publisher.Placement;

/// <summary>Why a file cannot be published.</summary>
public enum PublishRefusal
{
    /// <summary>Outside the publish directories, through <c>..</c> or a link, or no such file.</summary>
    NotPublishable,
    /// <summary>Too many files are waiting for a box already (<c>Publisher:QueueLimit</c>).</summary>
    QueueFull,
}
