using Polly;
using Polly.Retry;
using StackExchange.Redis;

namespace Dandelion.Entrance.Redis;

/// <summary>
/// The retry around Redis work in EXCHANGE and SEARCH: a few jittered, exponentially spaced
/// attempts, short enough to answer within a heartbeat. Longer outages are the multiplexer's
/// to ride out; the caller answers <c>unavailable</c> meanwhile.
/// </summary>
internal static class RedisResilience
{
    public static ResiliencePipeline Create(TimeProvider timeProvider) =>
        new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsOutage),
                MaxRetryAttempts = 3,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(100),
            })
            .Build();

    /// <summary>
    /// The faults that mean "Redis cannot serve now", as opposed to a bug: no connection, no answer
    /// in time, or a cluster or replica in transition (a master failed and its replica is taking
    /// over, a node loading, a write that reached a replica before the multiplexer noticed).
    /// </summary>
    public static bool IsOutage(Exception ex) => ex is RedisConnectionException or RedisTimeoutException ||
        ex is RedisServerException server && Transitional.Any(code => server.Message.StartsWith(code, StringComparison.Ordinal));

    private static readonly string[] Transitional = ["CLUSTERDOWN", "TRYAGAIN", "LOADING", "READONLY", "MASTERDOWN", "NOREPLICAS"];
}
