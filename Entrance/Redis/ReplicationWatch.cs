using Dandelion.Entrance.Configuration;

namespace Dandelion.Entrance.Redis;

/// <summary>
/// Which buckets live on a master that has replicas, asked (<c>INFO replication</c>) every
/// heartbeat. There a failover can lose the last writes, so traffic is acknowledged only once
/// counted <c>Entrance:ReplicationGrace</c> ago (see <c>Traffic/TrafficScript</c>); on a Redis
/// without replicas there is nothing to fail over to, and traffic is acknowledged at once.
/// </summary>
internal sealed partial class ReplicationWatch(RedisConnection redis, IOptions<EntranceOptions> options, TimeProvider timeProvider,
    ILogger<ReplicationWatch> logger) : BackgroundService
{
    private readonly bool[] _replicated = new bool[RedisKeys.Buckets];
    private readonly TimeSpan _grace = options.Value.ReplicationGrace;

    public TimeSpan GraceFor(int bucket) => Volatile.Read(ref _replicated[bucket]) ? _grace : TimeSpan.Zero;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_grace <= TimeSpan.Zero)
            return;
        using var timer = new PeriodicTimer(options.Value.Heartbeat, timeProvider);
        try
        {
            do
            {
                try
                {
                    await CheckAsync();
                }
                catch (Exception ex) when (RedisResilience.IsOutage(ex) || ex is StackExchange.Redis.RedisServerException)
                {
                    Log.CheckFailed(logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task CheckAsync()
    {
        var asked = new Dictionary<EndPoint, Task<bool>>();
        foreach (var bucket in redis.Keys.All)
        {
            StackExchange.Redis.IServer server;
            try
            {
                server = redis.Multiplexer.GetServer(bucket.Expiry);
            }
            catch (InvalidOperationException)
            {
                continue; // no connection to the bucket's master now: keep what was known
            }
            if (!asked.TryGetValue(server.EndPoint, out var replicated))
                asked[server.EndPoint] = replicated = HasReplicasAsync(server);
            Volatile.Write(ref _replicated[bucket.Index], await replicated);
        }
    }

    private static async Task<bool> HasReplicasAsync(StackExchange.Redis.IServer server)
    {
        var info = await server.InfoAsync("replication");
        var connected = info.SelectMany(g => g).FirstOrDefault(p => p.Key == "connected_slaves").Value;
        return int.TryParse(connected, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Asking Redis about its replicas failed.")]
        public static partial void CheckFailed(ILogger logger, Exception exception);
    }
}
