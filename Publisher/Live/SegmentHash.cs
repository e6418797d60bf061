using Dandelion.Publisher.Placement;

namespace Dandelion.Publisher.Live;

/// <summary>
/// <c>#EXT-X-DANDELION-SHA256:{64 hex}</c>: the SHA-256 of the segment on the next URI line, as
/// the publisher hashed it before placing it. Players that do not know the tag ignore it
/// (RFC 8216, 4.1); the project's player checks every segment a box sent against it.
/// </summary>
internal static class SegmentHash
{
    public const string TagName = "#EXT-X-DANDELION-SHA256:";

    public static string? Tag(PublishedFile file)
    {
        lock (file.Gate)
            return file.Sha256.Length == 64 ? TagName + file.Sha256 : null;
    }
}
