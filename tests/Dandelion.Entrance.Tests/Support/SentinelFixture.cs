using Dandelion.Testing;

namespace Dandelion.Entrance.Tests.Support;

/// <summary>One Redis master, its replica and three sentinels, for one test class.</summary>
public sealed class SentinelFixture : IAsyncLifetime
{
    public RedisSentinel Sentinel { get; private set; } = null!;

    public async Task InitializeAsync() => Sentinel = await RedisSentinel.StartAsync();

    public async Task DisposeAsync() => await Sentinel.DisposeAsync();
}
