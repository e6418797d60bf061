using Dandelion.Entrance.Boxes;
using Dandelion.Entrance.Configuration;
using Dandelion.Entrance.Redis;
using Dandelion.Entrance.Search;
using Dandelion.Entrance.Traffic;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Dandelion.Entrance.Tests.Support;

/// <summary>
/// The entrance's box store without the web host: registry, index (kept by its feed from a real
/// Redis) and sweeper, on a fake clock the test moves.
/// </summary>
internal sealed class RegistryRig : IAsyncDisposable
{
    private RegistryRig(IOptions<EntranceOptions> options, FakeTimeProvider time)
    {
        Options = options;
        Time = time;
        Connection = new RedisConnection(options);
        Feed = new FeedPosition();
        Index = new BoxIndex(options);
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        IndexFeed = new IndexFeed(Connection, Index, new BucketLoader(Connection, time, lifetime, NullLogger<BucketLoader>.Instance), Feed, options, time, lifetime, NullLogger<IndexFeed>.Instance);
        Registry = new BoxRegistry(Connection, Feed, new ReplicationWatch(Connection, options, time, NullLogger<ReplicationWatch>.Instance), options, time);
        Sweeper = new BoxSweeper(Connection, new EntranceIdentity("entrance-" + Guid.NewGuid().ToString("N")), options, time, NullLogger<BoxSweeper>.Instance);
    }

    public IOptions<EntranceOptions> Options { get; }
    public FakeTimeProvider Time { get; }
    public RedisConnection Connection { get; }
    public FeedPosition Feed { get; }
    public BoxIndex Index { get; }
    public IndexFeed IndexFeed { get; }
    public BoxRegistry Registry { get; }
    public BoxSweeper Sweeper { get; }

    public static async Task<RegistryRig> StartAsync(string redis, TimeSpan heartbeat)
    {
        var options = Microsoft.Extensions.Options.Options.Create(new EntranceOptions
        {
            Redis = redis,
            KeyPrefix = RedisFixture.NewPrefix(),
            Heartbeat = heartbeat,
        });
        var rig = new RegistryRig(options, new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        await rig.IndexFeed.StartAsync(default);
        await rig.IndexFeed.Ready.WaitAsync(TimeSpan.FromSeconds(30));
        return rig;
    }

    /// <summary>An EXCHANGE of a version 2 box standing in Berlin, as the handler would store it.</summary>
    public Task<StoreOutcome> StoreAsync(string id, string? session = null, double load = 0.52)
    {
        var box = new StoredBox
        {
            Id = id, Version = 2, LoadAverage1 = load.ToString(System.Globalization.CultureInfo.InvariantCulture), CpuNum = "4",
            Geo = new Dandelion.Shared.Protocol.GeoLocation { Known = true, Country = "DE", Latitude = 52, Longitude = 13 },
        };
        return Registry.StoreAsync(new BoxUpdate(id, box.ToUtf8(), BoxChange.Of(box), null, session, new TrafficBatch(),
            Options.Value.EffectiveExpiry, Time.GetUtcNow()), default);
    }

    public List<IndexHit> Find() => Index.Find(52, 13, 10, new HashSet<string>(), Time.GetUtcNow());

    public async ValueTask DisposeAsync()
    {
        await IndexFeed.StopAsync(default);
        IndexFeed.Dispose();
        Sweeper.Dispose();
        Connection.Dispose();
    }
}
