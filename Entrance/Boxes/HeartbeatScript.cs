using Dandelion.Entrance.Redis;
using Dandelion.Entrance.Traffic;
using StackExchange.Redis;

namespace Dandelion.Entrance.Boxes;

/// <summary>
/// One EXCHANGE as one script on the box's bucket slot: one command, one round trip. It always
/// pushes the expiry out (ZADD) and counts the exchange; it rewrites the stored box only when
/// its fingerprint changed, a score part moved by <see cref="BoxChange.PartStep"/> or more, the
/// record is older than <c>RecordRefresh</c>, or followers had let it lapse; it announces the
/// new expiry on the bucket's feed (and refreshes the session) only once half the expiry has
/// passed since the last announcement; each version 2 session's own expiry in the box's
/// sessions hash is renewed the same way. It counts the traffic first and keeps the box's served
/// rate in its traffic hash, so the record it writes states the bandwidth the entrance believes
/// (<see cref="BandwidthBelief"/>, spliced in as <c>BANDWIDTH-BELIEVED</c>); a belief that moves
/// the bandwidth part by a step rewrites the record too. A steady heartbeat therefore costs ZADD,
/// HINCRBY, two or three HGETs, the traffic mark read and the rate read (HMGET); one that counted
/// traffic adds the rate's HSET; about every other one adds HSET meta, INCR, one SPUBLISH and the
/// session's HSET and PEXPIRE.
/// </summary>
internal static class HeartbeatScript
{
    private const string Source = """
        local expiryKey, boxes, metaKey, draining, stats, seqKey, sessions, traffic, seen =
          KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]
        local id, now, expires, expiry = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
        local joined = redis.call('ZADD', expiryKey, expires, id)
        redis.call('HINCRBY', stats, 'exchanges', 1)
        local flipped = false
        if ARGV[12] == '1' then flipped = redis.call('SADD', draining, id) == 1
        elseif ARGV[12] == '0' then flipped = redis.call('SREM', draining, id) == 1 end
        local drain = flipped and tonumber(ARGV[12]) or -1
        -- Traffic is counted first, so what this EXCHANGE counted is in the served rate its record states.
        local ack, requests, bytes, flags = -1, 0, 0, {}
        if ARGV[15] == '1' then
          ack, requests, bytes, flags = (function()
            local first = 22
        """ + "\n" + TrafficScript.Counting + "\n" + """
            return ack, requests, bytes, flags
          end)()
        end
        local believed = nil
        if ARGV[16] == '1' then
          -- The served rate: bytes counted, each weighed e^(-age / window), over the window (bytes/s).
          local r = redis.call('HMGET', traffic, 'rate', 'rateAt')
          local rate, at, window = tonumber(r[1] or '0') or 0, tonumber(r[2] or '0') or 0, tonumber(ARGV[20])
          if at > 0 and now > at then rate = rate * math.exp((at - now) / window) end
          if bytes > 0 then
            rate = rate + bytes * 1000 / window
            redis.call('HSET', traffic, 'rate', string.format('%d', rate), 'rateAt', ARGV[2])
          end
          believed = math.floor(math.min(tonumber(ARGV[19]), tonumber(ARGV[18]) + tonumber(ARGV[21]) * rate))
        end
        local meta = redis.call('HGET', metaKey, id)
        local fp, stored, announced, b, s, l, w
        if meta then fp, stored, announced, b, s, l, w = string.match(meta, '^(%S+) (%S+) (%S+) (%S+) (%S+) (%S+) ?(%S*)$') end
        local step = tonumber(ARGV[11])
        local write = not fp or fp ~= ARGV[5] or tonumber(stored) + tonumber(ARGV[6]) <= now or tonumber(announced) <= now
          or math.abs(tonumber(b) - tonumber(ARGV[8])) >= step or math.abs(tonumber(s) - tonumber(ARGV[9])) >= step
          or math.abs(tonumber(l) - tonumber(ARGV[10])) >= step
        -- A belief that moves the bandwidth part (min(ceiling, believed) over the ceiling) by a step rewrites it too.
        local ceiling = tonumber(ARGV[17])
        if believed and not write and ceiling > 0 then
          local before = tonumber(w or '')
          write = not before or math.abs(math.min(ceiling, believed) - math.min(ceiling, before)) >= step * ceiling
        end
        local announce = write or flipped or tonumber(announced) - now < expiry / 2
        local session = ARGV[13]
        if session ~= '' then
          -- Each session keeps its own expiry (a box holds one per entrance), renewed at half-life.
          local lasts = tonumber(redis.call('HGET', sessions, session) or '0')
          if lasts - now < expiry / 2 then
            redis.call('HSET', sessions, session, expires)
            redis.call('PEXPIRE', sessions, expiry)
          end
        end
        local record = ARGV[7]
        if write then
          if believed then
            record = string.sub(record, 1, -2) .. ',"BANDWIDTH-BELIEVED":' .. string.format('%d', believed) .. '}'
            w = string.format('%d', believed)
          end
          redis.call('HSET', boxes, id, record)
          stored, b, s, l = ARGV[2], ARGV[8], ARGV[9], ARGV[10]
        end
        local seq = 0
        if announce then
          redis.call('HSET', metaKey, id, table.concat({ ARGV[5], stored, ARGV[3], b, s, l, (w ~= nil and w ~= '') and w or '-' }, ' '))
          seq = redis.call('INCR', seqKey)
          local head = seq .. ' ' .. id .. ' ' .. ARGV[3] .. ' ' .. redis.call('SISMEMBER', draining, id)
          if write then redis.call('SPUBLISH', ARGV[14], 'U ' .. head .. ' ' .. record)
          else redis.call('SPUBLISH', ARGV[14], 'A ' .. head) end
        end
        if ARGV[15] ~= '1' then return { write and 1 or 0, seq, joined, drain } end
        return { write and 1 or 0, seq, joined, drain, string.format('%d', ack), requests, string.format('%d', bytes), table.concat(flags) }
        """;

    public static Task<RedisResult> EvaluateAsync(IDatabaseAsync database, BucketKeys bucket, BoxUpdate update,
        TimeSpan refresh, TimeSpan grace, CancellationToken cancellationToken)
    {
        var id = update.BoxId;
        var now = update.Now.ToUnixTimeMilliseconds();
        var count = update.SessionField is not null || !update.Traffic.IsEmpty;
        var args = new List<RedisValue>(22 + 2 * (update.Traffic.Numbered.Count + update.Traffic.Keyed.Count))
        {
            id,
            now,
            now + (long)update.Expiry.TotalMilliseconds,
            (long)update.Expiry.TotalMilliseconds,
            update.Change.Fingerprint,
            (long)refresh.TotalMilliseconds,
            update.Record,
            Part(update.Change.Bandwidth),
            Part(update.Change.Storage),
            Part(update.Change.Load),
            Part(BoxChange.PartStep),
            update.Draining switch { true => "1", false => "0", null => "" },
            update.SessionField ?? "",
            bucket.Feed.ToString(),
            count ? "1" : "0",
            update.Belief is null ? "0" : "1",
            update.Belief?.Ceiling ?? -1,
            update.Belief?.NewBox ?? 0,
            update.Belief?.Max ?? 0,
            (long)BandwidthBelief.Window.TotalMilliseconds,
            BandwidthBelief.Headroom,
        };
        if (count)
            TrafficScript.Arguments(args, update.Traffic, update.Now, grace);
        RedisKey[] keys =
        [
            bucket.Expiry, bucket.Boxes, bucket.Meta, bucket.Draining, bucket.Stats, bucket.Sequence,
            bucket.Sessions(id), bucket.Traffic(id), bucket.Seen(id),
        ];
        return database.ScriptEvaluateAsync(Source, keys, [.. args]).WaitAsync(cancellationToken);
    }

    /// <summary>Reads the script's answer.</summary>
    public static StoreOutcome Read(RedisResult result)
    {
        var parts = (RedisResult[])result!;
        TrafficCounted? counted = parts.Length > 4
            ? new TrafficCounted(TrafficScript.Number(parts[4]), (long)parts[5], TrafficScript.Number(parts[6]), parts.Length > 7 ? (string?)parts[7] : null)
            : null;
        bool? draining = (long)parts[3] switch { 1 => true, 0 => false, _ => null };
        return new StoreOutcome((long)parts[0] == 1, (long)parts[1], counted, (long)parts[2] == 1, draining);
    }

    private static string Part(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
