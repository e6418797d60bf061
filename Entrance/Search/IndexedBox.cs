namespace Dandelion.Entrance.Search;

/// <summary>
/// One live box in this entrance's index. Only the index's apply loop changes it, under the
/// index's write lock; searches read it under the read lock and copy out what they answer.
/// </summary>
internal sealed class IndexedBox(string id, int bucket)
{
    public string Id { get; } = id;
    public int Bucket { get; } = bucket;

    public IndexRecord Record { get; set; } = null!;
    public double Latitude => Record.Latitude;
    public double Longitude => Record.Longitude;

    /// <summary>Weighted bandwidth, storage and load parts: the score less its distance part.</summary>
    public double Static { get; set; }

    /// <summary>Unix ms; never later than the expiry in Redis, so an expired box is never offered.</summary>
    public long ExpiresAt { get; set; }
    public bool Draining { get; set; }

    /// <summary>The feed number of the last change applied to this box.</summary>
    public long Sequence { get; set; }

    /// <summary>The resync of its bucket that last saw it in Redis.</summary>
    public int Generation { get; set; }

    // Where it is kept: its leaf and level (ordered by Static and Id: both fixed while it is there); its place in its bucket's list.
    public IndexNode? Leaf { get; set; }
    public int Level { get; set; }
    public int BucketSlot { get; set; }
}
