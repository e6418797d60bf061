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
    // Removes one box from every index and records why (a box that closed while draining was
    // drained); on the {idx} slot. Returns the reason recorded.
    private const string RemoveSource = """
        local reason = ARGV[2]
        if reason == 'closed' and redis.call('SISMEMBER', KEYS[4], ARGV[1]) == 1 then reason = 'drained' end
        local name = redis.call('HGET', KEYS[6], ARGV[1])
        redis.call('ZREM', KEYS[1], ARGV[1])
        redis.call('ZREM', KEYS[2], ARGV[1])
        redis.call('ZREM', KEYS[3], ARGV[1])
        redis.call('SREM', KEYS[4], ARGV[1])
        redis.call('HDEL', KEYS[6], ARGV[1])
        local named = name and (',"NAME":' .. cjson.encode(name)) or ''
        redis.call('LPUSH', KEYS[5], '{"ID":"' .. ARGV[1] .. '","REASON":"' .. reason .. '","AT":' .. ARGV[3] .. named .. '}')
        redis.call('LTRIM', KEYS[5], 0, tonumber(ARGV[4]) - 1)
        return reason
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
    // Returns id, name ('' when none) pairs of the boxes it removed.
    private const string SweepSource = """
        local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
        local swept = {}
        for _, id in ipairs(ids) do
          local name = redis.call('HGET', KEYS[6], id)
          redis.call('ZREM', KEYS[1], id)
          redis.call('ZREM', KEYS[2], id)
          redis.call('ZREM', KEYS[3], id)
          redis.call('SREM', KEYS[4], id)
          redis.call('HDEL', KEYS[6], id)
          local named = name and (',"NAME":' .. cjson.encode(name)) or ''
          redis.call('LPUSH', KEYS[5], '{"ID":"' .. id .. '","REASON":"expired","AT":' .. ARGV[1] .. named .. '}')
          table.insert(swept, id)
          table.insert(swept, name or '')
        end
        if #ids > 0 then redis.call('LTRIM', KEYS[5], 0, tonumber(ARGV[3]) - 1) end
        return swept
        """;

    private const int SweepBatch = 1000;

    private readonly TimeSpan _expiry = options.Value.EffectiveExpiry;

    public RedisKeys Keys => redis.Keys;

    public async Task<StoreResult> StoreAsync(BoxUpdate update, CancellationToken cancellationToken)
    {
        var keys = redis.Keys;
        var id = update.BoxId;
        var expiry = update.Expiry ?? _expiry;
        var expiresAt = (update.Now + expiry).ToUnixTimeMilliseconds();
        var batch = redis.Database.CreateBatch();
        var joined = batch.SortedSetAddAsync(keys.Expiry, id, expiresAt);
        var writes = new List<Task>(12)
        {
            batch.StringSetAsync(keys.Box(id), update.Document, expiry),
            joined,
            batch.GeoAddAsync(keys.Geo, update.Longitude, GeoDistance.ClampLatitude(update.Latitude), id),
            batch.SortedSetAddAsync(keys.Bandwidth, id, update.FreeBandwidth),
            batch.HashIncrementAsync(keys.Stats, "exchanges"),
        };
        // Kept for the gone list's NAME: the box's own key expires with it.
        if (update.Name is not null)
            writes.Add(batch.HashSetAsync(keys.Names, id, update.Name));
        Task<bool>? drainChanged = update.Draining switch
        {
            true => batch.SetAddAsync(keys.Draining, id),
            false => batch.SetRemoveAsync(keys.Draining, id),
            null => null,
        };
        if (drainChanged is not null)
            writes.Add(drainChanged);
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

        var draining = drainChanged is { Result: true } ? update.Draining : null;
        if (counting is null)
            return new StoreResult(null, joined.Result, draining);
        var counted = TrafficScript.Read(counting.Result);
        if (counted.Requests > 0)
        {
            // Totals are a dashboard figure: not worth a second awaited round trip.
            var database = redis.Database;
            _ = TrafficScript.AddToTotalsAsync(database, keys.Stats, counted, CommandFlags.FireAndForget);
        }
        return new StoreResult(counted, joined.Result, draining);
    }

    /// <summary>
    /// Ends a version 2 session. When it was the box's last, the box is gone for
    /// <paramref name="reason"/> (<see cref="GoneReasons"/>); returns the reason recorded
    /// (a box that closed while draining was drained), or null when another session lives on.
    /// </summary>
    public async Task<string?> CloseSessionAsync(string boxId, string sessionField, DateTimeOffset now, string reason)
    {
        var database = redis.Database;
        var keys = redis.Keys;
        var last = (long)await database.ScriptEvaluateAsync(CloseSource,
            [keys.Sessions(boxId), keys.Box(boxId)], [sessionField, now.ToUnixTimeMilliseconds()]);
        if (last == 0)
            return null;
        return (string?)await database.ScriptEvaluateAsync(RemoveSource, keys.Indexes,
            [boxId, reason, now.ToUnixTimeMilliseconds(), RedisKeys.GoneCapacity]);
    }

    /// <summary>Removes every box expired at <paramref name="now"/> from the indexes; returns their ids and names.</summary>
    public async Task<List<(string Id, string? Name)>> SweepAsync(DateTimeOffset now)
    {
        var all = new List<(string Id, string? Name)>();
        while (true)
        {
            var swept = (RedisResult[])(await redis.Database.ScriptEvaluateAsync(SweepSource, redis.Keys.Indexes,
                [now.ToUnixTimeMilliseconds(), SweepBatch, RedisKeys.GoneCapacity]))!;
            for (var i = 0; i + 1 < swept.Length; i += 2)
                all.Add(((string)swept[i]!, (string?)swept[i + 1] is { Length: > 0 } name ? name : null));
            if (swept.Length / 2 < SweepBatch)
                return all;
        }
    }

    /// <summary>Records an operator's DRAIN or RESUME so SEARCH sees it at once, whichever entrance holds the session.</summary>
    public Task SetDrainingAsync(string boxId, bool draining) =>
        draining
            ? redis.Database.SetAddAsync(redis.Keys.Draining, boxId)
            : redis.Database.SetRemoveAsync(redis.Keys.Draining, boxId);
}
