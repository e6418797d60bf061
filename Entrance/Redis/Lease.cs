namespace Dandelion.Entrance.Redis;

/// <summary>
/// A Redis lease for a job that must run on one entrance at a time, with a fencing token: each
/// new holder gets a larger token, and what the job writes is refused by Redis for a smaller one
/// (see the sweep), so a holder that stalled past its lease cannot undo its successor's work.
/// The holder renews it every <c>Heartbeat / 3</c> for one heartbeat, so when it dies another
/// entrance holds it within about a heartbeat and a third.
/// </summary>
internal sealed class Lease(RedisConnection redis, string name, string holder)
{
    // Renews the lease if we hold it with this token; takes it, with a new token, if nobody does.
    private const string Source = """
        local held = redis.call('GET', KEYS[1])
        if held then
          if held == ARGV[1] .. ' ' .. ARGV[3] then
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return tonumber(ARGV[3])
          end
          return 0
        end
        local token = redis.call('INCR', KEYS[2])
        redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. token, 'PX', ARGV[2])
        return token
        """;

    /// <summary>The token while held; 0 when another entrance holds the lease (or nobody could be asked).</summary>
    public long Token { get; private set; }

    /// <summary>Renews or takes the lease for <paramref name="time"/>; returns the token held now, 0 if none.</summary>
    public async Task<long> HoldAsync(TimeSpan time)
    {
        var keys = redis.Keys;
        try
        {
            Token = (long)await redis.Database.ScriptEvaluateAsync(Source, [keys.Lease(name), keys.LeaseToken(name)],
                [holder, (long)time.TotalMilliseconds, Token]);
        }
        catch (Exception ex) when (RedisResilience.IsOutage(ex))
        {
            Token = 0; // not sure we still hold it: act as if not
            throw;
        }
        return Token;
    }
}
