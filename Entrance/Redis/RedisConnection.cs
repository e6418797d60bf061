using Dandelion.Entrance.Configuration;
using StackExchange.Redis;

namespace Dandelion.Entrance.Redis;

/// <summary>
/// The one multiplexer of the process. It is made with <c>AbortOnConnectFail = false</c>, so the
/// entrance starts while Redis is down and the multiplexer keeps reconnecting by itself.
/// </summary>
internal sealed class RedisConnection : IDisposable
{
    private readonly ConnectionMultiplexer _multiplexer;

    public RedisConnection(IOptions<EntranceOptions> options)
    {
        var configuration = ConfigurationOptions.Parse(options.Value.Redis);
        configuration.AbortOnConnectFail = false;
        // While disconnected, fail commands at once instead of queueing them for AsyncTimeout:
        // the resilience pipeline does the short waiting, and a box hears "unavailable" in time.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ConnectTimeout = Math.Min(configuration.ConnectTimeout, 2000);
        configuration.ReconnectRetryPolicy ??= new ExponentialRetry(250, 5000);
        // INFO (which masters have replicas: ReplicationWatch) is an "admin" command to the multiplexer.
        configuration.AllowAdmin = true;
        _multiplexer = ConnectionMultiplexer.Connect(configuration);
        Keys = new RedisKeys(options.Value.KeyPrefix);
    }

    public RedisKeys Keys { get; }

    public IDatabase Database => _multiplexer.GetDatabase();

    public ISubscriber Subscriber => _multiplexer.GetSubscriber();

    /// <summary>For its connection events and the server of a key (the database and subscriber cover the rest).</summary>
    public IConnectionMultiplexer Multiplexer => _multiplexer;

    public void Dispose() => _multiplexer.Dispose();
}
