namespace Dandelion.Testing;

/// <summary>
/// One Redis master, one replica and three sentinels watching them as <c>mymaster</c>, on
/// loopback, with short timeouts so a killed master is replaced within a few seconds.
/// </summary>
public sealed class RedisSentinel : IAsyncDisposable
{
    public const string ServiceName = "mymaster";

    private RedisSentinel(RedisProcess master, RedisProcess replica, List<RedisProcess> sentinels)
    {
        Master = master;
        Replica = replica;
        Sentinels = sentinels;
    }

    public RedisProcess Master { get; }
    public RedisProcess Replica { get; }
    public IReadOnlyList<RedisProcess> Sentinels { get; }

    /// <summary>StackExchange.Redis configuration string: the sentinels and the service name, nothing else.</summary>
    public string ConnectionString => string.Join(',', Sentinels.Select(s => s.EndPoint)) + $",serviceName={ServiceName}";

    public static async Task<RedisSentinel> StartAsync()
    {
        string[] plain = ["--save", "", "--appendonly", "no"];
        var master = await RedisProcess.StartOnFreePortAsync(plain);
        var replica = await RedisProcess.StartOnFreePortAsync([.. plain, "--replicaof", "127.0.0.1", master.Port.ToString()]);
        var sentinels = new List<RedisProcess>();
        for (var i = 0; i < 3; i++)
        {
            sentinels.Add(await RedisProcess.StartOnFreePortAsync(["--sentinel"], configText: _ => $"""
                sentinel monitor {ServiceName} 127.0.0.1 {master.Port} 2
                sentinel down-after-milliseconds {ServiceName} 1000
                sentinel failover-timeout {ServiceName} 5000
                sentinel parallel-syncs {ServiceName} 1
                """));
        }
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await replica.CommandAsync("INFO replication"))?.Contains("master_link_status:up", StringComparison.Ordinal) != true)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("the replica did not sync with the master.");
            await Task.Delay(100);
        }
        return new RedisSentinel(master, replica, sentinels);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var sentinel in Sentinels)
            await sentinel.DisposeAsync();
        await Replica.DisposeAsync();
        await Master.DisposeAsync();
    }
}
