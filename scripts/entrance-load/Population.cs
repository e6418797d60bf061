using System.Globalization;
using Dandelion.Entrance.Boxes;
using Dandelion.Entrance.Configuration;
using Dandelion.Entrance.Redis;
using Dandelion.Entrance.Traffic;
using Dandelion.Shared.Protocol;
using Microsoft.Extensions.Options;

namespace Dandelion.EntranceLoad;

/// <summary>Registers boxes through the entrance's own heartbeat script, as many at once as Redis takes.</summary>
internal static class Population
{
    public static async Task<TimeSpan> FillAsync(string redis, string prefix, int count, bool city, int seed = 7)
    {
        var options = Options.Create(new EntranceOptions { Redis = redis, KeyPrefix = prefix });
        using var connection = new RedisConnection(options);
        var registry = new BoxRegistry(connection, new FeedPosition(), new ReplicationWatch(connection, options, TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ReplicationWatch>.Instance), options, TimeProvider.System);
        var random = new Random(seed);
        var started = DateTime.UtcNow;
        var next = 0;
        var workers = Enumerable.Range(0, 128).Select(async _ =>
        {
            while (true)
            {
                int i;
                (double, double) place;
                lock (random)
                {
                    if (next >= count)
                        return;
                    i = next++;
                    place = city ? Places.City(random) : Places.Globe(random);
                }
                var box = Box(i, place.Item1, place.Item2);
                await registry.StoreAsync(new BoxUpdate(box.Id, box.ToUtf8(), BoxChange.Of(box), null, null, new TrafficBatch(),
                    TimeSpan.FromHours(2), DateTimeOffset.UtcNow), default);
            }
        });
        await Task.WhenAll(workers);
        return DateTime.UtcNow - started;
    }

    public static StoredBox Box(int i, double lat, double lon)
    {
        var id = $"box-{i:x32}";
        var ip = $"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}";
        var hash = (uint)id.GetHashCode(StringComparison.Ordinal);
        return new StoredBox
        {
            Id = id, Ip = ip, Port = "17170", Type = "BOX", Command = "EXCHANGE", Version = 2, Sequence = 1,
            ConnectWs = $"http://{ip}:17170/dandelion/{id}/ws/", HttpUrl = $"http://{ip}:17171/",
            CpuHz = "2394.454", CpuNum = "4", CpuUser = "3.1", CpuSystem = "1.2", CpuNice = "0.0", CpuIdle = "95.2", CpuIoWait = "0.3",
            CpuIrq = "0.0", CpuSoftIrq = "0.2", LoadAverage1 = (hash % 400 / 100.0).ToString("0.00", CultureInfo.InvariantCulture),
            LoadAverage5 = "0.48", LoadAverage15 = "0.40", MemoryTotal = "8046348", MemoryAvailable = "6123400",
            DiskTotal = "245107195904", DiskAvailable = "200000000000", StorageQuota = 10_000_000_000, StorageUsed = hash % 10 * 1_000_000_000L,
            Files = 12, BandwidthCeiling = 10_000_000, BandwidthUsed = hash % 97 * 100_000L, State = "ACTIVE",
            Geo = new GeoLocation { Known = true, Country = "XX", City = "Somewhere", Latitude = lat, Longitude = lon },
        };
    }
}
