using Dandelion.Entrance.Peers;
using Dandelion.Entrance.Redis;
using Dandelion.Shared.Identity;
using StackExchange.Redis;

namespace Dandelion.Entrance.Auth;

/// <summary>
/// This entrance's copy of the revoked ids, so every message is checked without a Redis round trip:
/// loaded at start and every minute (which heals a missed message), and told of each revocation on
/// <c>P:revocations</c>, at which it closes the box sessions this entrance holds for the id at once.
/// One writer (this loop and the subscription swap an immutable set); readers take the current one.
/// </summary>
/// <remarks>
/// Bounded by what Redis holds (a revoked id never comes back), at 8 bytes per id
/// (<see cref="RevokedIds"/>): 8 MB at a million. The minute's reload asks only each bucket's
/// HLEN, and reads the ids (HKEYS) only when the count differs from this copy's, i.e. when a
/// <c>P:revocations</c> message was missed.
/// </remarks>
internal sealed partial class RevocationList(RedisConnection redis, CredentialStore store, SessionDirectory sessions,
    TimeProvider time, ILogger<RevocationList> logger) : BackgroundService
{
    private static readonly TimeSpan Reload = TimeSpan.FromMinutes(1);
    private readonly Lock _writing = new();
    private RevokedIds _revoked = RevokedIds.Empty;

    public bool IsRevoked(string id) => _revoked.Contains(id);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var subscribed = false;
        var delay = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!subscribed)
                {
                    await redis.Subscriber.SubscribeAsync(redis.Keys.Revocations, (_, id) => Revoked((string?)id));
                    subscribed = true;
                }
                if (await store.RevokedCountAsync() != _revoked.Count)
                {
                    var loaded = await store.RevokedAsync();
                    lock (_writing)
                        _revoked = _revoked.With(loaded);
                    foreach (var id in loaded)
                        CloseSessions(id);
                }
                delay = Reload;
            }
            catch (Exception ex) when (RedisResilience.IsOutage(ex))
            {
                Log.LoadFailed(logger, ex);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, Reload.Ticks));
            }
            try
            {
                await Task.Delay(delay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>A revocation just published: remembered, and this entrance's sessions of the id closed.</summary>
    private void Revoked(string? id)
    {
        if (!NodeIdentity.IsValidAny(id))
            return;
        lock (_writing)
        {
            _revoked = _revoked.With(id!);
        }
        Log.Revoked(logger, id!, CloseSessions(id!));
    }

    private int CloseSessions(string id)
    {
        var closed = 0;
        foreach (var session in sessions.Of(id))
        {
            session.Revoke(ProtocolError.Unauthorized("this ID's credential was revoked."));
            closed++;
        }
        return closed;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Loading revoked credentials failed; retrying.")]
        public static partial void LoadFailed(ILogger logger, Exception exception);

        [LoggerMessage(2, LogLevel.Information, "Credential of {Id} revoked; {Sessions} sessions held here closed.")]
        public static partial void Revoked(ILogger logger, string id, int sessions);
    }
}
