using System.Globalization;
using Dandelion.Entrance.Configuration;
using Dandelion.Entrance.Geo;
using Dandelion.Entrance.Redis;
using Dandelion.Entrance.Traffic;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Dandelion.Entrance.Boxes;

/// <summary>
/// The boxes, in Redis (layout in <see cref="RedisKeys"/>). Each operation sends its commands
/// together in one batch and awaits them together, so an EXCHANGE costs one round trip.
/// </summary>
internal sealed class BoxRegistry(RedisConnection redis, IOptions<EntranceOptions> options)
{
    // Removes one box from every index and records why; on the {idx} slot.
    private const string RemoveSource = """
        redis.call('ZREM', KEYS[1], ARGV[1])
        redis.call('ZREM', KEYS[2], ARGV[1])
        redis.call('ZREM', KEYS[3], ARGV[1])
        redis.call('SREM', KEYS[4], ARGV[1])
        redis.call('LPUSH', KEYS[5], ARGV[2])
        redis.call('LTRIM', KEYS[5], 0, tonumber(ARGV[3]) - 1)
        return 1
        """;

    // Ends one session; when it was the box's last live one, deletes the box. On the box's slot.
    private const string CloseSource = """
        redis.call('HDEL', KEYS[1], ARGV[1])
        local now = tonumber(ARGV[2])
        local fields = redis.call('HGETALL', KEYS[1])
        for i = 1, #fields, 2 do
          if tonumber(fields[i + 1]) <= now then redis.call('HDEL', KEYS[1], fields[i]) end
        end
        if redis.call('HLEN', KEYS[1]) == 0 then
          redis.call('DEL', KEYS[2])
          return 1
        end
        return 0
        """;

    // Removes boxes whose expiry has passed from every index. Idempotent: any entrance may run it.
    private const string SweepSource = """
        local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
        for _, id in ipairs(ids) do
          redis.call('ZREM', KEYS[1], id)
          redis.call('ZREM', KEYS[2], id)
          redis.call('ZREM', KEYS[3], id)
          redis.call('SREM', KEYS[4], id)
          redis.call('LPUSH', KEYS[5], '{"ID":"' .. id .. '","REASON":"expired","AT":' .. ARGV[1] .. '}')
        end
        if #ids > 0 then redis.call('LTRIM', KEYS[5], 0, tonumber(ARGV[3]) - 1) end
        return #ids
        """;

    private const int SweepBatch = 1000;

    private readonly TimeSpan _expiry = options.Value.EffectiveExpiry;

    public RedisKeys Keys => redis.Keys;

    public async Task<TrafficCounted?> StoreAsync(BoxUpdate update, CancellationToken cancellationToken)
    {
        var keys = redis.Keys;
        var id = update.BoxId;
        var expiry = update.Expiry ?? _expiry;
        var expiresAt = (update.Now + expiry).ToUnixTimeMilliseconds();
        var batch = redis.Database.CreateBatch();
        var writes = new List<Task>(10)
        {
            batch.StringSetAsync(keys.Box(id), update.Document, expiry),
            batch.SortedSetAddAsync(keys.Expiry, id, expiresAt),
            batch.GeoAddAsync(keys.Geo, update.Longitude, GeoDistance.ClampLatitude(update.Latitude), id),
            batch.SortedSetAddAsync(keys.Bandwidth, id, update.FreeBandwidth),
            batch.HashIncrementAsync(keys.Stats, "exchanges"),
        };
        if (update.Draining is true)
            writes.Add(batch.SetAddAsync(keys.Draining, id));
        else if (update.Draining is false)
            writes.Add(batch.SetRemoveAsync(keys.Draining, id));
        if (update.SessionField is { } field)
        {
            writes.Add(batch.HashSetAsync(keys.Sessions(id), field, expiresAt));
            writes.Add(batch.KeyExpireAsync(keys.Sessions(id), expiry));
        }
        // Version 2 boxes always learn their mark (TRAFFIC_ACK); version 1 only pays when it sent entries.
        Task<RedisResult>? counting = update.SessionField is not null || !update.Traffic.IsEmpty
            ? TrafficScript.EvaluateAsync(batch, keys, id, update.Traffic)
            : null;
        if (counting is not null)
            writes.Add(counting);
        batch.Execute();
        await Task.WhenAll(writes).WaitAsync(cancellationToken);

        if (counting is null)
            return null;
        var counted = TrafficScript.Read(counting.Result);
        if (counted.Requests > 0)
        {
            // Totals are a dashboard figure: not worth a second awaited round trip.
            var database = redis.Database;
            _ = database.HashIncrementAsync(keys.Stats, "requests", counted.Requests, CommandFlags.FireAndForget);
            _ = database.HashIncrementAsync(keys.Stats, "bytes", counted.Bytes, CommandFlags.FireAndForget);
        }
        return counted;
    }

    /// <summary>Ends a version 2 session; true when it was the box's last, and the box is gone.</summary>
    public async Task<bool> CloseSessionAsync(string boxId, string sessionField, DateTimeOffset now)
    {
        var database = redis.Database;
        var keys = redis.Keys;
        var last = (long)await database.ScriptEvaluateAsync(CloseSource,
            [keys.Sessions(boxId), keys.Box(boxId)], [sessionField, now.ToUnixTimeMilliseconds()]);
        if (last == 0)
            return false;
        await database.ScriptEvaluateAsync(RemoveSource, keys.Indexes,
            [boxId, GoneEntry(boxId, "closed", now), RedisKeys.GoneCapacity]);
        return true;
    }

    /// <summary>Removes every box expired at <paramref name="now"/> from the indexes; returns how many.</summary>
    public async Task<long> SweepAsync(DateTimeOffset now)
    {
        long total = 0;
        while (true)
        {
            var swept = (long)await redis.Database.ScriptEvaluateAsync(SweepSource, redis.Keys.Indexes,
                [now.ToUnixTimeMilliseconds(), SweepBatch, RedisKeys.GoneCapacity]);
            total += swept;
            if (swept < SweepBatch)
                return total;
        }
    }

    /// <summary>Records an operator's DRAIN or RESUME so SEARCH sees it at once, whichever entrance holds the session.</summary>
    public Task SetDrainingAsync(string boxId, bool draining) =>
        draining
            ? redis.Database.SetAddAsync(redis.Keys.Draining, boxId)
            : redis.Database.SetRemoveAsync(redis.Keys.Draining, boxId);

    private static string GoneEntry(string boxId, string reason, DateTimeOffset at) =>
        string.Create(CultureInfo.InvariantCulture, $$"""{"ID":"{{boxId}}","REASON":"{{reason}}","AT":{{at.ToUnixTimeMilliseconds()}}}""");
}
