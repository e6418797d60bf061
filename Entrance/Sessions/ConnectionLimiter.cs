using System.Collections.Concurrent;
using System.Net;

namespace Dandelion.Entrance.Sessions;

/// <summary>Counts open WebSockets per client address and refuses past <c>MaxConnectionsPerAddress</c>.</summary>
internal sealed class ConnectionLimiter(int limit)
{
    private readonly ConcurrentDictionary<IPAddress, int> _open = new();

    public bool TryAcquire(IPAddress address)
    {
        while (true)
        {
            var current = _open.GetOrAdd(address, 0);
            if (current >= limit)
                return false;
            if (_open.TryUpdate(address, current + 1, current))
                return true;
        }
    }

    public void Release(IPAddress address)
    {
        while (_open.TryGetValue(address, out var current))
        {
            // The last one out removes the entry, so the map holds only addresses with open sockets.
            if (current <= 1 ? _open.TryRemove(new KeyValuePair<IPAddress, int>(address, current)) : _open.TryUpdate(address, current - 1, current))
                return;
        }
    }
}
