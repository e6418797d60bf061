using Dandelion.Entrance.Boxes;
using Dandelion.Entrance.Configuration;
using Dandelion.Entrance.Redis;
using Dandelion.Entrance.Search;
using Dandelion.Entrance.Tests.Support;
using Dandelion.Entrance.Traffic;
using Dandelion.Shared.Protocol;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Dandelion.Entrance.Tests.Integration;

/// <summary>Expiry decided by a fake clock, against a real Redis.</summary>
public sealed class RegistryExpiryTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static readonly HashSet<string> Nobody = [];

    private (IOptions<EntranceOptions>, RedisConnection, BoxRegistry, CandidateFinder) Build()
    {
        var options = Options.Create(new EntranceOptions
        {
            Redis = redis.ConnectionString,
            KeyPrefix = RedisFixture.NewPrefix(),
            Heartbeat = TimeSpan.FromSeconds(5),
            // Expiry defaults to three heartbeats: 15 s.
        });
        var connection = new RedisConnection(options);
        return (options, connection, new BoxRegistry(connection, options), new CandidateFinder(connection));
    }

    private static BoxUpdate Update(string id, DateTimeOffset now) =>
        new(id, null, """{"ID":"x","GEO":{"LAT":52,"LON":13}}"""u8.ToArray(), 52, 13, 0, null, null, new TrafficBatch(), now);

    [Fact]
    public async Task A_box_is_found_until_its_expiry_never_after_even_before_the_sweep()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var (_, connection, registry, finder) = Build();
        using var _ = connection;
        var id = Messages.NewBoxId();
        await registry.StoreAsync(Update(id, time.GetUtcNow()), default);

        time.Advance(TimeSpan.FromSeconds(14.9));
        Assert.Single(await finder.FindAsync(52, 13, 10, Nobody, time.GetUtcNow(), default));

        time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Empty(await finder.FindAsync(52, 13, 10, Nobody, time.GetUtcNow(), default));
        Assert.NotNull(await connection.Database.SortedSetScoreAsync(connection.Keys.Expiry, id)); // not swept yet

        Assert.Single(await registry.SweepAsync(time.GetUtcNow()));
        Assert.Null(await connection.Database.SortedSetScoreAsync(connection.Keys.Expiry, id));
        Assert.Null(await connection.Database.GeoPositionAsync(connection.Keys.Geo, id));
        Assert.Empty(await registry.SweepAsync(time.GetUtcNow())); // idempotent
        Assert.Contains($"\"ID\":\"{id}\",\"REASON\":\"expired\"", (string?)await connection.Database.ListGetByIndexAsync(connection.Keys.Gone, 0));
    }

    [Fact]
    public async Task Each_exchange_pushes_the_expiry_out_again()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var (_, connection, registry, finder) = Build();
        using var _ = connection;
        var id = Messages.NewBoxId();
        for (var beat = 0; beat < 5; beat++)
        {
            await registry.StoreAsync(Update(id, time.GetUtcNow()), default);
            time.Advance(TimeSpan.FromSeconds(10));
            Assert.Single(await finder.FindAsync(52, 13, 10, Nobody, time.GetUtcNow(), default));
        }
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Empty(await finder.FindAsync(52, 13, 10, Nobody, time.GetUtcNow(), default));
    }

    [Fact]
    public async Task The_sweeper_runs_on_its_timer()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var (options, connection, registry, _) = Build();
        using var _ = connection;
        var id = Messages.NewBoxId();
        await registry.StoreAsync(Update(id, time.GetUtcNow()), default);
        using var sweeper = new BoxSweeper(registry, options, time, NullLogger<BoxSweeper>.Instance);
        await sweeper.StartAsync(default);
        try
        {
            // Every tick sweeps; only once the clock passes the box's expiry does it leave the index.
            await Eventually.MatchAsync(async () =>
            {
                time.Advance(TimeSpan.FromSeconds(5));
                return await connection.Database.SortedSetScoreAsync(connection.Keys.Expiry, id);
            }, score => score is null, "the sweeper to remove the expired box");
            Assert.True(time.GetUtcNow() >= new DateTimeOffset(2026, 1, 1, 0, 0, 15, TimeSpan.Zero));
        }
        finally
        {
            await sweeper.StopAsync(default);
        }
    }
}
