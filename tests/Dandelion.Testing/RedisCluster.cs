using System.Diagnostics;

namespace Dandelion.Testing;

/// <summary>
/// A real Redis Cluster of 3 masters and 3 replicas on loopback (<c>redis-server --cluster-enabled
/// yes</c> ×6, then <c>redis-cli --cluster create … --cluster-replicas 1</c>), with a short node
/// timeout so a killed master's replica takes over within a few seconds.
/// </summary>
public sealed class RedisCluster : IAsyncDisposable
{
    private RedisCluster(List<RedisProcess> nodes) => Nodes = nodes;

    public IReadOnlyList<RedisProcess> Nodes { get; }

    /// <summary>StackExchange.Redis configuration string naming every node.</summary>
    public string ConnectionString => string.Join(',', Nodes.Select(n => n.EndPoint));

    public static async Task<RedisCluster> StartAsync()
    {
        var nodes = new List<RedisProcess>();
        try
        {
            for (var i = 0; i < 6; i++)
            {
                nodes.Add(await RedisProcess.StartOnFreePortAsync([
                    "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "1000",
                    // Promote a replica however long it was cut off: the test kills masters on purpose.
                    "--cluster-replica-validity-factor", "0", "--save", "", "--appendonly", "no"], ClusterPort));
            }
            await RunCliAsync(["--cluster", "create", .. nodes.Select(n => n.EndPoint), "--cluster-replicas", "1", "--cluster-yes"]);
            var cluster = new RedisCluster(nodes);
            await cluster.WaitHealthyAsync();
            return cluster;
        }
        catch
        {
            foreach (var node in nodes)
                await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>The nodes that are masters now (each node's own <c>ROLE</c>).</summary>
    public async Task<List<RedisProcess>> MastersAsync()
    {
        var masters = new List<RedisProcess>();
        foreach (var node in Nodes.Where(n => n.Running))
        {
            if (await node.CommandAsync("ROLE") is { } role && role.Contains("master", StringComparison.Ordinal))
                masters.Add(node);
        }
        return masters;
    }

    /// <summary>The node serving <paramref name="slot"/> as master now (from <c>CLUSTER NODES</c> of a running node).</summary>
    public async Task<RedisProcess> MasterOfSlotAsync(int slot)
    {
        foreach (var asked in Nodes.Where(n => n.Running))
        {
            if (await asked.CommandAsync("CLUSTER NODES") is not { } nodes)
                continue;
            foreach (var line in nodes.Split('\n'))
            {
                var fields = line.Trim().Split(' ');
                if (fields.Length < 9 || !fields[2].Contains("master", StringComparison.Ordinal) || fields[2].Contains("fail", StringComparison.Ordinal))
                    continue;
                foreach (var range in fields[8..])
                {
                    var bounds = range.Split('-');
                    if (int.TryParse(bounds[0], out var low) && int.TryParse(bounds[^1], out var high) && slot >= low && slot <= high)
                        return Nodes.Single(n => fields[1].StartsWith(n.EndPoint + "@", StringComparison.Ordinal));
                }
            }
        }
        throw new InvalidOperationException($"no master serves slot {slot}.");
    }

    /// <summary>The replica of <paramref name="master"/> (from <c>CLUSTER NODES</c>).</summary>
    public async Task<RedisProcess> ReplicaOfAsync(RedisProcess master)
    {
        var nodes = await master.CommandAsync("CLUSTER NODES") ?? throw new InvalidOperationException("the master does not answer.");
        var lines = nodes.Split('\n').Select(l => l.Trim().Split(' ')).Where(f => f.Length >= 8).ToList();
        var masterId = lines.Single(f => f[2].Contains("myself", StringComparison.Ordinal))[0];
        var replica = lines.First(f => f[3] == masterId);
        return Nodes.Single(n => replica[1].StartsWith(n.EndPoint + "@", StringComparison.Ordinal));
    }

    /// <summary>Waits until every running node reports <c>cluster_state:ok</c> and there are three masters.</summary>
    public async Task WaitHealthyAsync(TimeSpan? within = null, int masters = 3)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            var ok = true;
            foreach (var node in Nodes.Where(n => n.Running))
                ok &= (await node.CommandAsync("CLUSTER INFO"))?.Contains("cluster_state:ok", StringComparison.Ordinal) == true;
            if (ok && (await MastersAsync()).Count == masters)
                return;
            await Task.Delay(100);
        }
        throw new TimeoutException("the Redis Cluster did not become healthy.");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
            await node.DisposeAsync();
    }

    private static async Task RunCliAsync(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(RedisServer.FindExecutable("redis-cli") ?? throw new InvalidOperationException("redis-cli is not installed."))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"redis-cli failed: {await output}{await errors}");
    }

    /// <summary>A free port whose cluster bus port (+10000) is free too.</summary>
    private static int ClusterPort()
    {
        while (true)
        {
            var port = FreePort.Next();
            if (port >= 55535)
                continue;
            try
            {
                using var bus = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port + 10000);
                bus.Start();
                return port;
            }
            catch (System.Net.Sockets.SocketException)
            {
            }
        }
    }
}
