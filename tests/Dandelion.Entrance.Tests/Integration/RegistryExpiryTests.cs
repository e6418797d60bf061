using Dandelion.Entrance.Tests.Support;

namespace Dandelion.Entrance.Tests.Integration;

/// <summary>Expiry decided by a fake clock, against a real Redis.</summary>
public sealed class RegistryExpiryTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(5); // expiry: three heartbeats, 15 s

    [Fact]
    public async Task A_box_is_found_until_its_expiry_never_after_even_before_the_sweep()
    {
        await using var rig = await RegistryRig.StartAsync(redis.ConnectionString, Heartbeat);
        var id = Messages.NewBoxId();
        var bucket = rig.Connection.Keys.BucketOf(id);
        await rig.StoreAsync(id);

        rig.Time.Advance(TimeSpan.FromSeconds(14.9));
        Assert.Single(rig.Find());

        rig.Time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Empty(rig.Find());
        Assert.NotNull(await rig.Connection.Database.SortedSetScoreAsync(bucket.Expiry, id)); // not swept yet

        Assert.Equal(1, (await rig.Sweeper.SweepAsync(rig.Time.GetUtcNow(), token: 1)).Swept);
        Assert.Null(await rig.Connection.Database.SortedSetScoreAsync(bucket.Expiry, id));
        Assert.False(await rig.Connection.Database.HashExistsAsync(bucket.Boxes, id));
        Assert.Equal(0, (await rig.Sweeper.SweepAsync(rig.Time.GetUtcNow(), token: 1)).Swept); // idempotent
        Assert.Contains($"\"ID\":\"{id}\",\"REASON\":\"expired\"", (string?)await rig.Connection.Database.ListGetByIndexAsync(bucket.Gone, 0));
    }

    [Fact]
    public async Task Each_exchange_pushes_the_expiry_out_again()
    {
        await using var rig = await RegistryRig.StartAsync(redis.ConnectionString, Heartbeat);
        var id = Messages.NewBoxId();
        for (var beat = 0; beat < 5; beat++)
        {
            await rig.StoreAsync(id);
            rig.Time.Advance(TimeSpan.FromSeconds(10));
            Assert.Single(rig.Find());
        }
        rig.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Empty(rig.Find());
    }

    [Fact]
    public async Task The_sweeper_runs_on_its_timer()
    {
        await using var rig = await RegistryRig.StartAsync(redis.ConnectionString, Heartbeat);
        var id = Messages.NewBoxId();
        var bucket = rig.Connection.Keys.BucketOf(id);
        await rig.StoreAsync(id);
        await rig.Sweeper.StartAsync(default);
        try
        {
            // Every tick sweeps; only once the clock passes the box's expiry does it leave the index.
            await Eventually.MatchAsync(async () =>
            {
                rig.Time.Advance(TimeSpan.FromSeconds(5));
                return await rig.Connection.Database.SortedSetScoreAsync(bucket.Expiry, id);
            }, score => score is null, "the sweeper to remove the expired box");
            Assert.True(rig.Time.GetUtcNow() >= new DateTimeOffset(2026, 1, 1, 0, 0, 15, TimeSpan.Zero));
        }
        finally
        {
            await rig.Sweeper.StopAsync(default);
        }
    }
}
