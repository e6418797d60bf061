using Dandelion.Entrance.Configuration;
using Dandelion.Entrance.Peers;
using Dandelion.Entrance.Redis;
using StackExchange.Redis;

namespace Dandelion.Entrance.Boxes;

/// <summary>
/// Carries operator commands (DRAIN, RESUME, PURGE) to whichever entrances hold the box's
/// version 2 sessions (its sessions hash names them): each entrance listens on its own sharded
/// channel, so a command costs one message per holder and no entrance hears the others' traffic.
/// </summary>
internal sealed partial class BoxCommandRelay(RedisConnection redis, BoxRegistry registry, SessionDirectory sessions,
    EntranceIdentity identity, TimeProvider timeProvider, ILogger<BoxCommandRelay> logger) : BackgroundService
{
    /// <summary>Sends a command to every entrance holding a session of the box; returns how many heard it.</summary>
    public async Task<long> PublishAsync(RelayedCommand command)
    {
        var holders = await registry.SessionHoldersAsync(command.BoxId, timeProvider.GetUtcNow());
        var message = JsonSerializer.SerializeToUtf8Bytes(command, RelayedCommandJsonContext.Default.RelayedCommand);
        var heard = await Task.WhenAll(holders.Select(entrance => redis.Subscriber.PublishAsync(redis.Keys.Commands(entrance), message)));
        return heard.Sum();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Once subscribed, the multiplexer resubscribes by itself after a reconnect; until the
        // first success (Redis down at start) keep trying.
        var delay = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await redis.Subscriber.SubscribeAsync(redis.Keys.Commands(identity.Id), (_, message) => Deliver(message));
                return;
            }
            catch (Exception ex) when (RedisResilience.IsOutage(ex))
            {
                Log.SubscribeFailed(logger, ex);
            }
            try
            {
                await Task.Delay(delay, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
        }
    }

    private void Deliver(RedisValue message)
    {
        RelayedCommand? command;
        try
        {
            command = JsonSerializer.Deserialize((byte[])message!, RelayedCommandJsonContext.Default.RelayedCommand);
        }
        catch (JsonException)
        {
            Log.BadRelay(logger);
            return;
        }
        if (command is null)
            return;
        foreach (var session in sessions.Of(command.BoxId))
        {
            var sent = session.TrySendCommand(command.Command, command.Publisher);
            Log.Relayed(logger, command.Command, command.BoxId, sent);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Subscribing to operator commands failed; retrying.")]
        public static partial void SubscribeFailed(ILogger logger, Exception exception);

        [LoggerMessage(2, LogLevel.Warning, "Ignored a relayed command that is not valid JSON.")]
        public static partial void BadRelay(ILogger logger);

        [LoggerMessage(3, LogLevel.Information, "Relayed {Command} to {BoxId} (queued: {Sent}).")]
        public static partial void Relayed(ILogger logger, string command, string boxId, bool sent);
    }
}
