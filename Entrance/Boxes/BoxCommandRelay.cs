using System.Text.Json;
using Dandelion.Entrance.Redis;
using Dandelion.Entrance.Sessions;
using StackExchange.Redis;

namespace Dandelion.Entrance.Boxes;

/// <summary>
/// Carries operator commands (DRAIN, RESUME, PURGE) through Redis pub/sub to whichever
/// entrance holds the box's session; that entrance pushes it down the socket.
/// </summary>
internal sealed partial class BoxCommandRelay(RedisConnection redis, SessionDirectory sessions,
    TimeProvider timeProvider, ILogger<BoxCommandRelay> logger) : BackgroundService
{
    /// <summary>Publishes a command; returns how many entrances heard it.</summary>
    public Task<long> PublishAsync(RelayedCommand command) =>
        redis.Subscriber.PublishAsync(redis.Keys.Commands,
            JsonSerializer.SerializeToUtf8Bytes(command, RelayedCommandJsonContext.Default.RelayedCommand));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Once subscribed, the multiplexer resubscribes by itself after a reconnect; until the
        // first success (Redis down at start) keep trying.
        var delay = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await redis.Subscriber.SubscribeAsync(redis.Keys.Commands, (_, message) => Deliver(message));
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
        if (command is not null && sessions.TryGet(command.BoxId, out var session))
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
