using System.Globalization;
using Dandelion.LocalNetwork;
using StackExchange.Redis;

namespace Dandelion.Benchmark.Running;

/// <summary>
/// A Redis Cluster of three masters and three replicas on loopback, as an operator runs one:
/// <c>redis-server --cluster-enabled yes</c> six times, then <c>redis-cli --cluster create …
/// --cluster-replicas 1</c>; returns once every node reports <c>cluster_state:ok</c>.
/// </summary>
internal sealed class LocalCluster
{
    private LocalCluster(IReadOnlyList<(ChildProcess Process, int Port)> nodes) => Nodes = nodes;

    public IReadOnlyList<(ChildProcess Process, int Port)> Nodes { get; }

    /// <summary>StackExchange.Redis configuration naming every node (it discovers the cluster from any).</summary>
    public string ConnectionString => string.Join(',', Nodes.Select(n => $"127.0.0.1:{n.Port}"));

    public static async Task<LocalCluster> StartAsync(ProcessGroup group, CancellationToken cancellationToken)
    {
        var nodes = new List<(ChildProcess, int)>();
        for (var i = 1; i <= 6; i++)
        {
            nodes.Add(await group.StartRedisAsync($"redis-node-{i}", [
                "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000",
                "--cluster-port", FreePort.Next().ToString(CultureInfo.InvariantCulture)], cancellationToken));
        }
        var cluster = new LocalCluster(nodes);
        var cli = ProcessGroup.FindExecutable("redis-cli") ?? throw new InvalidOperationException("redis-cli is not installed: run ./scripts/setup.sh.");
        var create = await group.StartAsync("redis-cluster-create", cli,
            ["--cluster", "create", .. nodes.Select(n => $"127.0.0.1:{n.Item2}"), "--cluster-replicas", "1", "--cluster-yes"], group.RunDirectory);
        await group.WaitAsync(create, () => Task.FromResult(create.HasExited && create.ExitCode == 0) , "redis-cli --cluster create", cancellationToken);
        foreach (var (process, port) in nodes)
            await group.WaitAsync(process, () => StateOkAsync(port), $"cluster_state:ok on port {port}", cancellationToken);
        return cluster;
    }

    /// <summary>Keys held by each master now, largest first.</summary>
    public static async Task<List<long>> KeysPerMasterAsync(ConnectionMultiplexer redis)
    {
        var counts = new List<long>();
        foreach (var server in redis.GetServers().Where(s => s.IsConnected && !s.IsReplica))
            counts.Add(await server.DatabaseSizeAsync());
        counts.Sort((a, b) => b.CompareTo(a));
        return counts;
    }

    private static async Task<bool> StateOkAsync(int port)
    {
        try
        {
            await using var node = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},allowAdmin=true,connectTimeout=2000");
            var info = (string?)await node.GetServers()[0].ExecuteAsync("CLUSTER", "INFO");
            return info?.Contains("cluster_state:ok", StringComparison.Ordinal) == true;
        }
        catch (RedisException)
        {
            return false;
        }
    }
}
