using StackExchange.Redis;

namespace Dandelion.Entrance.Traffic;

/// <summary>
/// The Lua that counts one EXCHANGE's traffic atomically on the box's own slot, so any number
/// of entrances handed the same entries count each once: version 2 entries above the box's
/// mark move the mark up, version 1 entries count when their key is new to the seen set. It is
/// a part of the heartbeat script (<c>Boxes/HeartbeatScript</c>), which gives it the keys
/// <c>traffic</c>, <c>seen</c>, <c>stats</c> and the arguments from <see cref="Arguments"/>
/// starting at <c>first</c>; it leaves <c>ack</c> (the mark to acknowledge), <c>requests</c>,
/// <c>bytes</c> and <c>flags</c> (one character per entry, in argument order: <c>1</c> counted
/// now, <c>0</c> not, so the entrance can say whose files the counted entries served) in locals.
/// Entries of size -1 (<see cref="TrafficBatch.Refused"/>) move the mark and count nothing. Totals
/// (the box's and its bucket's) are clamped to 0..2^53 (Lua's numbers are doubles), so no claim
/// can make them negative, overflow <c>HINCRBY</c> and break the session's every heartbeat.
/// </summary>
internal static class TrafficScript
{
    // Numbers leave Lua through string.format: a large double would otherwise print as 1e+15.
    public const string Counting = """
        local counted = redis.call('HMGET', traffic, 'mark', 'at', 'stable')
        local mark = tonumber(counted[1] or '-1')
        local now, grace = tonumber(ARGV[first + 2]), tonumber(ARGV[first + 3])
        local stable = tonumber(counted[3] or '-1')
        if grace > 0 and mark > stable and tonumber(counted[2] or '0') <= now - grace then
          stable = mark
          redis.call('HSET', traffic, 'stable', string.format('%d', stable))
        end
        local top = mark
        local requests, bytes = 0, 0
        local flags = {}
        local i = first + 5
        for _ = 1, tonumber(ARGV[first + 4]) do
          local id, size = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
          local now_counted = '0'
          if id > mark then
            if size >= 0 then
              requests = requests + 1
              bytes = bytes + size
              now_counted = '1'
            end
            if id > top then top = id end
          end
          flags[#flags + 1] = now_counted
          i = i + 2
        end
        local keyed = (#ARGV - i + 1) / 2
        for _ = 1, keyed do
          if redis.call('SADD', seen, ARGV[i]) == 1 then
            requests = requests + 1
            bytes = bytes + tonumber(ARGV[i + 1])
            flags[#flags + 1] = '1'
          else
            flags[#flags + 1] = '0'
          end
          i = i + 2
        end
        if keyed > 0 then redis.call('EXPIRE', seen, ARGV[first + 1]) end
        if requests > 0 then
          -- Clamped to 0..2^53 (Cap): a double holds whole numbers exactly up to there.
          local cap = 9007199254740992
          for _, key in ipairs({ traffic, stats }) do
            local r = math.max(tonumber(redis.call('HGET', key, 'requests') or '0') or 0, 0)
            local b = math.max(tonumber(redis.call('HGET', key, 'bytes') or '0') or 0, 0)
            redis.call('HSET', key, 'requests', string.format('%d', math.min(r + requests, cap)),
              'bytes', string.format('%d', math.min(b + bytes, cap)))
          end
          redis.call('EXPIRE', traffic, ARGV[first])
        end
        if top > mark then redis.call('HSET', traffic, 'mark', string.format('%d', top), 'at', ARGV[first + 2]) end
        local ack = top
        if grace > 0 then ack = stable end
        """;

    /// <summary>Largest total kept: 2^53, the largest whole number a Lua double holds exactly (the script's <c>cap</c>).</summary>
    public const long Cap = 1L << 53;

    /// <summary>
    /// The arguments <see cref="Counting"/> reads: lifetimes, the time, the replication grace,
    /// then the entries. With a grace (Redis has replicas), the mark acknowledged is the highest
    /// one counted at least that long ago, so a box never drops an entry whose count a failover to
    /// a replica could lose: it sends it again and the replica counts it once.
    /// </summary>
    public static void Arguments(List<RedisValue> args, TrafficBatch batch, DateTimeOffset now, TimeSpan grace)
    {
        args.Add((long)Redis.RedisKeys.TrafficLifetime.TotalSeconds);
        args.Add((long)Redis.RedisKeys.SeenLifetime.TotalSeconds);
        args.Add(now.ToUnixTimeMilliseconds());
        args.Add((long)grace.TotalMilliseconds);
        args.Add(batch.Numbered.Count);
        foreach (var (id, size) in batch.Numbered)
        {
            args.Add(id);
            args.Add(size);
        }
        foreach (var (key, size) in batch.Keyed)
        {
            args.Add(key);
            args.Add(size);
        }
    }

    public static long Number(RedisResult result) => long.Parse((string)result!, CultureInfo.InvariantCulture);
}
