using Dandelion.Testing;

namespace Dandelion.Box.Tests;

/// <summary>
/// What a test of the box against the real entrance owns: a Redis of its own, the box's and the
/// entrance's data directories, a key prefix and the entrance's port; all gone when disposed.
/// </summary>
internal sealed class EntranceRig : IAsyncDisposable
{
    private EntranceRig(RedisServer redis, string name, string prefix)
    {
        Redis = redis;
        BoxData = Directory.CreateTempSubdirectory($"dandelion-box-{name}-").FullName;
        EntranceData = Directory.CreateTempSubdirectory("dandelion-entrance-").FullName;
        Prefix = prefix + "-" + Guid.NewGuid().ToString("N")[..8];
    }

    public RedisServer Redis { get; }
    public string BoxData { get; }
    public string EntranceData { get; }
    public string Prefix { get; }
    public int EntrancePort { get; } = FreePort.Next();

    /// <param name="name">Names the box's data directory, <c>dandelion-box-{name}-…</c>.</param>
    /// <param name="prefix">The start of the entrance's key prefix, a random part follows.</param>
    public static async Task<EntranceRig> StartAsync(string name, string prefix = "box") =>
        new(await RedisServer.StartAsync(), name, prefix);

    public EntranceHost StartEntrance(IDictionary<string, string?>? extra = null) =>
        EntranceHost.Start(Redis.ConnectionString, Prefix, EntranceData, EntrancePort, extra);

    public async ValueTask DisposeAsync()
    {
        await Redis.DisposeAsync();
        Directory.Delete(BoxData, recursive: true);
        Directory.Delete(EntranceData, recursive: true);
    }
}
