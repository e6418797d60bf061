using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Dandelion.Entrance.Sessions;

/// <summary>
/// Which version 2 box sessions this entrance holds, to route operator commands. Only a
/// routing cache: who is live is in Redis.
/// </summary>
internal sealed class SessionDirectory
{
    private readonly ConcurrentDictionary<string, BoxHandler> _sessions = new(StringComparer.Ordinal);

    public int Count => _sessions.Count;

    public void Add(string boxId, BoxHandler session) => _sessions[boxId] = session;

    /// <summary>Forgets the session only if it is still the one registered (a newer one may have replaced it).</summary>
    public void Remove(string boxId, BoxHandler session) =>
        _sessions.TryRemove(new KeyValuePair<string, BoxHandler>(boxId, session));

    public bool TryGet(string boxId, [NotNullWhen(true)] out BoxHandler? session) => _sessions.TryGetValue(boxId, out session);
}
