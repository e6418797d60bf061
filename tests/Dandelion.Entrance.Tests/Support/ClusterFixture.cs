using Dandelion.Entrance.Redis;
using Dandelion.Testing;

namespace Dandelion.Entrance.Tests.Support;

/// <summary>A real 3-master, 3-replica Redis Cluster for one test class.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public RedisCluster Cluster { get; private set; } = null!;

    public string ConnectionString => Cluster.ConnectionString;

    public async Task InitializeAsync() => Cluster = await RedisCluster.StartAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    /// <summary>
    /// A box id in bucket 5, 32 or 58 (<paramref name="third"/> 0, 1, 2): slots well inside the
    /// first, second and third of the slot range, which <c>redis-cli --cluster create</c> gives one
    /// master each. Boxes made with all three thirds touch every master.
    /// </summary>
    public static string BoxOnMaster(int third)
    {
        var bucket = third switch { 0 => 5, 1 => 32, _ => 58 };
        while (true)
        {
            var id = Messages.NewBoxId();
            if (RedisKeys.BucketIndex(id) == bucket)
                return id;
        }
    }
}
