using System.Globalization;
using Dandelion.Entrance.Redis;
using StackExchange.Redis;

namespace Dandelion.Entrance.Traffic;

/// <summary>
/// Counts one EXCHANGE's traffic atomically on the box's own slot, so any number of
/// entrances handed the same entries count each once: version 2 entries above the box's
/// mark move the mark up, version 1 entries count when their key is new to the seen set.
/// Entries of size -1 (<see cref="TrafficBatch.Refused"/>) move the mark and count nothing. Totals
/// are clamped to 0..2^53 (Lua's numbers are doubles), so no claim can make them negative, overflow
/// <c>HINCRBY</c> and break the session's every heartbeat.
/// Returns <c>{mark, requests added, bytes added}</c>; mark is -1 while nothing was ever counted.
/// </summary>
internal static class TrafficScript
{
    // Numbers leave Lua through string.format: a large double would otherwise print as 1e+15.
    private const string Source = """
        local traffic, seen = KEYS[1], KEYS[2]
        local mark = tonumber(redis.call('HGET', traffic, 'mark') or '-1')
        local top = mark
        local requests, bytes = 0, 0
        local cap = tonumber(ARGV[3])
        local numbered = tonumber(ARGV[4])
        local i = 5
        for _ = 1, numbered do
          local id, size = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
          if id > mark then
            if size >= 0 then
              requests = requests + 1
              bytes = bytes + size
            end
            if id > top then top = id end
          end
          i = i + 2
        end
        local keyed = (#ARGV - i + 1) / 2
        for _ = 1, keyed do
          if redis.call('SADD', seen, ARGV[i]) == 1 then
            requests = requests + 1
            bytes = bytes + tonumber(ARGV[i + 1])
          end
          i = i + 2
        end
        if keyed > 0 then redis.call('EXPIRE', seen, ARGV[2]) end
        if requests > 0 then
          local r = math.max(tonumber(redis.call('HGET', traffic, 'requests') or '0') or 0, 0)
          local b = math.max(tonumber(redis.call('HGET', traffic, 'bytes') or '0') or 0, 0)
          redis.call('HSET', traffic, 'requests', string.format('%d', math.min(r + requests, cap)),
            'bytes', string.format('%d', math.min(b + bytes, cap)))
        end
        if top > mark then redis.call('HSET', traffic, 'mark', string.format('%d', top)) end
        redis.call('EXPIRE', traffic, ARGV[1])
        return { string.format('%d', top), requests, string.format('%d', bytes) }
        """;

    /// <summary>Largest total kept: 2^53, the largest whole number a Lua double holds exactly.</summary>
    public const long Cap = 1L << 53;

    // Adds to a hash's totals (the global figures), clamped like the box's own.
    private const string TotalsSource = """
        for i = 1, #ARGV, 2 do
          local v = math.max(tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '0') or 0, 0)
          redis.call('HSET', KEYS[1], ARGV[i], string.format('%d', math.min(v + tonumber(ARGV[i + 1]), 9007199254740992)))
        end
        return 1
        """;

    public static Task<RedisResult> EvaluateAsync(IDatabaseAsync database, RedisKeys keys, string boxId, TrafficBatch batch)
    {
        var args = new RedisValue[4 + 2 * batch.Numbered.Count + 2 * batch.Keyed.Count];
        args[0] = (long)RedisKeys.TrafficLifetime.TotalSeconds;
        args[1] = (long)RedisKeys.SeenLifetime.TotalSeconds;
        args[2] = Cap;
        args[3] = batch.Numbered.Count;
        var i = 4;
        foreach (var (id, size) in batch.Numbered)
        {
            args[i++] = id;
            args[i++] = size;
        }
        foreach (var (key, size) in batch.Keyed)
        {
            args[i++] = key;
            args[i++] = size;
        }
        return database.ScriptEvaluateAsync(Source, [keys.Traffic(boxId), keys.Seen(boxId)], args);
    }

    /// <summary>Adds one batch's counts to the global totals in <paramref name="stats"/>, never past <see cref="Cap"/> nor below 0.</summary>
    public static Task AddToTotalsAsync(IDatabaseAsync database, RedisKey stats, TrafficCounted counted, CommandFlags flags) =>
        database.ScriptEvaluateAsync(TotalsSource, [stats], ["requests", counted.Requests, "bytes", counted.Bytes], flags);

    public static TrafficCounted Read(RedisResult result)
    {
        var parts = (RedisResult[])result!;
        return new TrafficCounted(
            long.Parse((string)parts[0]!, CultureInfo.InvariantCulture),
            (long)parts[1],
            long.Parse((string)parts[2]!, CultureInfo.InvariantCulture));
    }
}
