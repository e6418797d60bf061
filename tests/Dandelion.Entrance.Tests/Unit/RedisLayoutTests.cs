using Dandelion.Entrance.Geo;
using Dandelion.Entrance.Redis;
using Dandelion.Shared.Geo;

namespace Dandelion.Entrance.Tests.Unit;

public sealed class RedisLayoutTests
{
    [Theory]
    [InlineData("123456789", -1, 0x31C3)] // the cluster specification's CRC16 check value
    [InlineData("foo", 12182, -1)]        // slots redis-cli CLUSTER KEYSLOT gives
    [InlineData("bar", 5061, -1)]
    [InlineData("{user1000}.following", 3443, -1)] // only the hash tag counts
    [InlineData("foo{}{bar}", 8363, -1)]  // an empty tag is no tag: the whole key
    public void Cluster_slots_are_computed_as_redis_does(string key, int slot, int crc)
    {
        if (crc >= 0)
            Assert.Equal(crc, ClusterSlot.Crc16(System.Text.Encoding.ASCII.GetBytes(key)));
        if (slot >= 0)
            Assert.Equal(slot, ClusterSlot.Of(key));
    }

    [Fact]
    public void Every_key_of_a_bucket_shares_one_slot_and_buckets_cover_the_slots_evenly()
    {
        var keys = new RedisKeys("dandelion");
        var width = ClusterSlot.Count / RedisKeys.Buckets;
        foreach (var bucket in keys.All)
        {
            var slot = ClusterSlot.Of(bucket.Expiry!);
            Assert.Equal(bucket.Index, slot / width);
            foreach (var key in new[] { bucket.Boxes, bucket.Meta, bucket.Draining, bucket.Gone, bucket.Stats, bucket.Sequence, bucket.Fence,
                         bucket.Sessions("box-1"), bucket.Traffic("box-1"), bucket.Seen("box-1") })
                Assert.Equal(slot, ClusterSlot.Of(key!));
            Assert.Equal(slot, ClusterSlot.Of(bucket.Feed.ToString()));
        }
        // Three masters holding equal slot ranges hold 21, 21 and 22 buckets.
        Assert.Equal([21, 21, 22], keys.All.GroupBy(b => ClusterSlot.Of(b.Expiry!) * 3 / ClusterSlot.Count).Select(g => g.Count()).Order());
    }

    [Fact]
    public void Box_ids_spread_over_the_buckets()
    {
        var counts = new int[RedisKeys.Buckets];
        for (var i = 0; i < 64_000; i++)
            counts[RedisKeys.BucketIndex("box-" + Guid.NewGuid().ToString("N"))]++;
        Assert.All(counts, c => Assert.InRange(c, 800, 1200));
        Assert.Equal(RedisKeys.BucketIndex("box-0123456789abcdef0123456789abcdef"), RedisKeys.BucketIndex("box-0123456789abcdef0123456789abcdef"));
    }

    [Theory]
    [InlineData(52.5, 13.4, 50, 51, 10, 11)]     // south-west of the point
    [InlineData(0, 179.5, -1, 1, -180, -179)]   // across the date line
    [InlineData(80, 0, 70, 75, 170, 175)]       // far side, over the pole
    [InlineData(-45, 100, -50, -40, 90, 95)]    // beside it, same latitudes
    [InlineData(10, 10, 9, 11, 9, 11)]          // inside
    public void The_distance_bound_of_a_cell_never_exceeds_the_distance_to_any_point_in_it(double lat, double lon, double south, double north, double west, double east)
    {
        var bound = GeoBounds.MinKilometres(lat, lon, south, north, west, east);
        var nearest = double.MaxValue;
        for (var i = 0; i <= 200; i++)
        {
            for (var j = 0; j <= 200; j++)
                nearest = Math.Min(nearest, GeoDistance.Kilometres(lat, lon, south + (north - south) * i / 200, west + (east - west) * j / 200));
        }
        Assert.InRange(bound, 0, nearest + 1e-6);
        Assert.InRange(nearest - bound, -1e-6, 2); // and is tight (within the sampling step)
    }
}
