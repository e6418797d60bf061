using System.Collections.Concurrent;
using System.Net;

namespace Dandelion.Shared.Connections;

/// <summary>
/// Counts open connections per remote address and admits one more only below the cap. The map
/// holds only addresses with a connection open, so it is as large as the connections are many.
/// </summary>
public sealed class AddressAdmission(int limit)
{
    private readonly ConcurrentDictionary<IPAddress, int> _open = new();

    /// <summary>A lease to dispose when the connection ends, or null when the address is at its cap.</summary>
    public IDisposable? TryAdmit(IPAddress address)
    {
        while (true)
        {
            var current = _open.GetOrAdd(address, 0);
            if (current >= limit)
                return null;
            if (_open.TryUpdate(address, current + 1, current))
                return new Lease(this, address);
        }
    }

    private void Release(IPAddress address)
    {
        while (_open.TryGetValue(address, out var current))
        {
            // The last one out removes the entry.
            if (current <= 1 ? _open.TryRemove(new KeyValuePair<IPAddress, int>(address, current)) : _open.TryUpdate(address, current - 1, current))
                return;
        }
    }

    private sealed class Lease(AddressAdmission owner, IPAddress address) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                owner.Release(address);
        }
    }
}
