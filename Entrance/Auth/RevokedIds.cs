namespace Dandelion.Entrance.Auth;

/// <summary>
/// An immutable set of revoked ids kept as their 64-bit FNV-1a hashes in one sorted array:
/// 8 bytes per id (8 MB at a million revoked ids, against about 130 MB as strings in a hash set),
/// looked up by binary search (20 comparisons at a million) without allocating. Two ids sharing a
/// hash would refuse the second one too: at a million revoked ids a given id is wrongly refused
/// with probability 10^6 / 2^64, about 5·10^-14; never is a revoked id let through.
/// </summary>
internal sealed class RevokedIds
{
    private readonly ulong[] _sorted;

    private RevokedIds(ulong[] sorted) => _sorted = sorted;

    public static RevokedIds Empty { get; } = new([]);

    /// <summary>How many distinct hashes are held (the ids, but for a collision).</summary>
    public int Count => _sorted.Length;

    public bool Contains(string id) => Array.BinarySearch(_sorted, Hash(id)) >= 0;

    /// <summary>This set and <paramref name="id"/>; this one when it is held already. Costs one copy of the array.</summary>
    public RevokedIds With(string id)
    {
        var hash = Hash(id);
        var at = Array.BinarySearch(_sorted, hash);
        if (at >= 0)
            return this;
        at = ~at;
        var next = new ulong[_sorted.Length + 1];
        Array.Copy(_sorted, next, at);
        next[at] = hash;
        Array.Copy(_sorted, at, next, at + 1, _sorted.Length - at);
        return new RevokedIds(next);
    }

    /// <summary>This set and every one of <paramref name="ids"/>.</summary>
    public RevokedIds With(IEnumerable<string> ids)
    {
        var all = new List<ulong>(_sorted);
        all.AddRange(ids.Select(Hash));
        all.Sort();
        var distinct = new List<ulong>(all.Count);
        foreach (var hash in all)
        {
            if (distinct.Count == 0 || distinct[^1] != hash)
                distinct.Add(hash);
        }
        return new RevokedIds([.. distinct]);
    }

    /// <summary>FNV-1a, 64 bits, over the id's UTF-16 code units (ids are ASCII).</summary>
    internal static ulong Hash(string id)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in id)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        return hash;
    }
}
