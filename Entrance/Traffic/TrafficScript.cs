using System.Globalization;
using Dandelion.Entrance.Redis;
using StackExchange.Redis;

namespace Dandelion.Entrance.Traffic;

/// <summary>
/// Counts one EXCHANGE's traffic atomically on the box's own slot, so any number of
/// entrances handed the same entries count each once: version 2 entries above the box's
/// mark move the mark up, version 1 entries count when their key is new to the seen set.
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
        local numbered = tonumber(ARGV[3])
        local i = 4
        for _ = 1, numbered do
          local id, size = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
          if id > mark then
            requests = requests + 1
            bytes = bytes + size
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
          redis.call('HINCRBY', traffic, 'requests', requests)
          redis.call('HINCRBY', traffic, 'bytes', string.format('%d', bytes))
        end
        if top > mark then redis.call('HSET', traffic, 'mark', string.format('%d', top)) end
        redis.call('EXPIRE', traffic, ARGV[1])
        return { string.format('%d', top), requests, string.format('%d', bytes) }
        """;

    public static Task<RedisResult> EvaluateAsync(IDatabaseAsync database, RedisKeys keys, string boxId, TrafficBatch batch)
    {
        var args = new RedisValue[3 + 2 * batch.Numbered.Count + 2 * batch.Keyed.Count];
        args[0] = (long)RedisKeys.TrafficLifetime.TotalSeconds;
        args[1] = (long)RedisKeys.SeenLifetime.TotalSeconds;
        args[2] = batch.Numbered.Count;
        var i = 3;
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

    public static TrafficCounted Read(RedisResult result)
    {
        var parts = (RedisResult[])result!;
        return new TrafficCounted(
            long.Parse((string)parts[0]!, CultureInfo.InvariantCulture),
            (long)parts[1],
            long.Parse((string)parts[2]!, CultureInfo.InvariantCulture));
    }
}
