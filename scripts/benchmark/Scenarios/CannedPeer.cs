using Dandelion.Benchmark.Running;
using Dandelion.LocalNetwork;

namespace Dandelion.Benchmark.Scenarios;

/// <summary>A canned WebSocket peer started only when it is measured, and stopped afterwards so it takes no memory meanwhile.</summary>
internal sealed class CannedPeer(Testbed testbed, byte[] reply) : IAsyncDisposable
{
    private ChildProcess? _process;

    public async Task<(ChildProcess Process, Uri Url)> StartAsync(CancellationToken cancellationToken)
    {
        var (process, url) = await testbed.StartCannedPeerAsync(reply, cancellationToken);
        _process = process;
        return (process, url);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
            await testbed.Group.StopAsync(_process);
    }
}
