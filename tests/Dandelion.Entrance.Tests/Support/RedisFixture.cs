using Dandelion.Testing;

namespace Dandelion.Entrance.Tests.Support;

/// <summary>One real Redis per test class; each test uses its own key prefix on it.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private static int s_prefix;

    public RedisServer Server { get; private set; } = null!;

    public string ConnectionString => Server.ConnectionString;

    /// <summary>A key prefix no other test uses, so tests never see each other's boxes.</summary>
    public static string NewPrefix() => $"t{Interlocked.Increment(ref s_prefix)}-{Guid.NewGuid():N}"[..16];

    public async Task InitializeAsync() => Server = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
