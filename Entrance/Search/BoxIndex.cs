using Dandelion.Entrance.Configuration;
using Dandelion.Entrance.Redis;

namespace Dandelion.Entrance.Search;

/// <summary>
/// This entrance's copy of every live box, kept current from the buckets' feeds (see
/// <see cref="IndexFeed"/>) with Redis as the truth, so SEARCH costs no Redis command. One writer
/// (the feed's apply loop) changes it under the write lock; searches run in parallel under the
/// read lock. Each box remembers the feed number of its last change, so a change never
/// overwrites a newer one, and during a resync of a bucket the boxes gone meanwhile are
/// remembered so the snapshot cannot bring them back.
/// </summary>
internal sealed class BoxIndex
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<string, IndexedBox> _boxes = new(StringComparer.Ordinal);
    private readonly List<IndexedBox>[] _buckets = [.. Enumerable.Range(0, RedisKeys.Buckets).Select(_ => new List<IndexedBox>())];
    private readonly Dictionary<string, long>?[] _goneDuringResync = new Dictionary<string, long>?[RedisKeys.Buckets];
    private readonly IndexGrid _grid;
    private readonly ScoreWeights _weights;
    private int _pruneBucket;

    public BoxIndex(IOptions<EntranceOptions> options)
    {
        _weights = options.Value.Search.Weights;
        _grid = new IndexGrid(_weights.Bandwidth + _weights.Storage + _weights.Load);
    }

    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try { return _boxes.Count; }
            finally { _lock.ExitReadLock(); }
        }
    }

    /// <summary>The count for a writer already holding the lock.</summary>
    public int CountUnlocked => _boxes.Count;

    /// <summary>The best <paramref name="count"/> live boxes for a searcher at the point, best first.</summary>
    public List<IndexHit> Find(double lat, double lon, int count, IReadOnlySet<string> exclude, DateTimeOffset now)
    {
        _lock.EnterReadLock();
        try
        {
            return IndexQuery.Find(_grid, _weights, lat, lon, count, exclude, now.ToUnixTimeMilliseconds());
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Holds the write lock until disposed; the writer's methods below need it held.</summary>
    public Writing Write()
    {
        _lock.EnterWriteLock();
        return new Writing(_lock);
    }

    public void Apply(int bucket, FeedChange change)
    {
        switch (change.Kind)
        {
            case FeedChange.Upserted:
                Put(bucket, change.Ids[0], change.Sequence, change.ExpiresAt, change.Draining, change.Record!, generation: null);
                break;
            case FeedChange.Alive when Newer(change.Ids[0], change.Sequence) is { } box:
                box.ExpiresAt = change.ExpiresAt;
                box.Draining = change.Draining;
                box.Sequence = change.Sequence;
                break;
            case FeedChange.DrainSet when Newer(change.Ids[0], change.Sequence) is { } box:
                box.Draining = change.Draining;
                box.Sequence = change.Sequence;
                break;
            case FeedChange.Gone:
                foreach (var id in change.Ids)
                {
                    if (_goneDuringResync[bucket] is { } gone)
                        gone[id] = change.Sequence;
                    if (Newer(id, change.Sequence) is { } box)
                        Drop(box);
                }
                break;
        }
    }

    /// <summary>A resync of <paramref name="bucket"/> starts; on a regression (Redis lost data) the bucket is emptied first.</summary>
    public void BeginResync(int bucket, bool clear)
    {
        if (clear)
        {
            foreach (var box in _buckets[bucket].ToList())
                Drop(box);
        }
        _goneDuringResync[bucket] = new Dictionary<string, long>(StringComparer.Ordinal);
    }

    /// <summary>A box as Redis held it during resync <paramref name="generation"/>, which read the feed at <paramref name="sequence"/>.</summary>
    public void Restore(int bucket, int generation, long sequence, string id, long expiresAt, bool draining, IndexRecord record)
    {
        if (_boxes.TryGetValue(id, out var known) && known.Sequence > sequence)
        {
            known.Generation = generation; // the feed already told something newer
            return;
        }
        if (known is null && _goneDuringResync[bucket]?.GetValueOrDefault(id) > sequence)
            return;
        Put(bucket, id, sequence, expiresAt, draining, record, generation);
    }

    /// <summary>Drops what the resync did not find and the feed did not change since.</summary>
    public void EndResync(int bucket, int generation, long sequence)
    {
        foreach (var box in _buckets[bucket].Where(b => b.Generation != generation && b.Sequence <= sequence).ToList())
            Drop(box);
        _goneDuringResync[bucket] = null;
    }

    /// <summary>Forgets expired boxes of one bucket per call (round robin), and tightens the cells' bounds once per round.</summary>
    public int Prune(long nowMs)
    {
        var bucket = _pruneBucket;
        _pruneBucket = (bucket + 1) % RedisKeys.Buckets;
        var expired = _buckets[bucket].Where(b => b.ExpiresAt <= nowMs).ToList();
        foreach (var box in expired)
            Drop(box);
        if (bucket == RedisKeys.Buckets - 1)
            _grid.Tighten();
        return expired.Count;
    }

    private IndexedBox? Newer(string id, long sequence) =>
        _boxes.TryGetValue(id, out var box) && sequence > box.Sequence ? box : null;

    private void Put(int bucket, string id, long sequence, long expiresAt, bool draining, IndexRecord record, int? generation)
    {
        if (!_boxes.TryGetValue(id, out var box))
        {
            if (generation is null && _goneDuringResync[bucket]?.GetValueOrDefault(id) > sequence)
                return;
            box = new IndexedBox(id, bucket) { BucketSlot = _buckets[bucket].Count };
            _boxes.Add(id, box);
            _buckets[bucket].Add(box);
        }
        else if (sequence <= box.Sequence && generation is null)
        {
            return;
        }
        var moved = box.Leaf is null || box.Record.Latitude != record.Latitude || box.Record.Longitude != record.Longitude;
        var staticScore = _weights.Bandwidth * record.Bandwidth + _weights.Storage * record.Storage + _weights.Load * record.Load;
        // Out and back in whenever its place or static score changes: a level is ordered by static score.
        if (moved || staticScore != box.Static)
            _grid.Remove(box);
        box.Record = record;
        box.Static = staticScore;
        box.ExpiresAt = expiresAt;
        box.Draining = draining;
        box.Sequence = Math.Max(box.Sequence, sequence);
        if (generation is { } g)
            box.Generation = g;
        if (box.Leaf is null)
            _grid.Insert(box);
    }

    private void Drop(IndexedBox box)
    {
        _grid.Remove(box);
        _boxes.Remove(box.Id);
        var list = _buckets[box.Bucket];
        var last = list[^1];
        list[box.BucketSlot] = last;
        last.BucketSlot = box.BucketSlot;
        list.RemoveAt(list.Count - 1);
    }

    /// <summary>The write lock, released on dispose.</summary>
    public readonly struct Writing(ReaderWriterLockSlim held) : IDisposable
    {
        public void Dispose() => held.ExitWriteLock();
    }
}
