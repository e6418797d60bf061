using System.Collections.Immutable;

namespace Dandelion.Entrance.Peers;

/// <summary>
/// Which version 2 box sessions this entrance holds, to route operator commands and revocations.
/// Only a routing cache: who is live is in Redis. Every session of an id is kept, never replaced:
/// a second connection claiming the id (with auth off, anyone can) cannot hide the first from a
/// DRAIN or PURGE, which reaches them all.
/// </summary>
internal sealed class SessionDirectory
{
    private readonly ConcurrentDictionary<string, ImmutableArray<IBoxSession>> _sessions = new(StringComparer.Ordinal);
    private int _count;

    /// <summary>Sessions held, counting each of an id's.</summary>
    public int Count => Volatile.Read(ref _count);

    public void Add(string boxId, IBoxSession session)
    {
        _sessions.AddOrUpdate(boxId, static (_, s) => [s], static (_, held, s) => held.Add(s), session);
        Interlocked.Increment(ref _count);
    }

    /// <summary>Forgets this one session of the id; the id's others stay.</summary>
    public void Remove(string boxId, IBoxSession session)
    {
        while (_sessions.TryGetValue(boxId, out var held))
        {
            if (!held.Contains(session))
                return;
            var left = held.Remove(session);
            var removed = left.IsEmpty
                ? _sessions.TryRemove(new KeyValuePair<string, ImmutableArray<IBoxSession>>(boxId, held))
                : _sessions.TryUpdate(boxId, left, held);
            if (removed)
            {
                Interlocked.Decrement(ref _count);
                return;
            }
        }
    }

    /// <summary>Every session of the id held here; empty when none.</summary>
    public ImmutableArray<IBoxSession> Of(string boxId) => _sessions.TryGetValue(boxId, out var held) ? held : [];
}
