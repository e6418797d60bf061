using System.Net;
using Dandelion.Entrance.Auth;
using Dandelion.Entrance.Configuration;
using Dandelion.Entrance.Geo;
using Dandelion.Entrance.Redis;
using Dandelion.Entrance.Sessions;
using Dandelion.Entrance.Telemetry;
using Dandelion.Entrance.Traffic;
using Dandelion.Shared.Protocol;
using Microsoft.Extensions.Options;
using Polly;

namespace Dandelion.Entrance.Boxes;

/// <summary>Answers a box's EXCHANGE: place it, store it, count its traffic, reply.</summary>
internal sealed partial class ExchangeHandler(
    GeoIpLocator locator,
    BoxRegistry registry,
    ResiliencePipeline resilience,
    GrantSigner grants,
    NodeAuthenticator authenticator,
    EntranceMetrics metrics,
    IOptions<EntranceOptions> options,
    TimeProvider timeProvider,
    ILogger<ExchangeHandler> logger)
{
    private readonly EntranceOptions _options = options.Value;
    private readonly long _heartbeatSeconds = WholeSeconds(options.Value.Heartbeat);
    private readonly long _expirySeconds = WholeSeconds(options.Value.EffectiveExpiry);

    /// <param name="sessionField">This version 2 session's id in the box's sessions hash; null for version 1.</param>
    /// <returns>The reply, or the error to answer with.</returns>
    public async ValueTask<(ExchangeReply? Reply, ProtocolError? Error)> HandleAsync(InboundMessage message, IPAddress client,
        EntranceSelf self, int version, string? sessionField, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var exchange = message.Exchange!;
        var geo = locator.Locate(ClientAddress.ForGeoIp(client, exchange.Ip));
        var stored = StoredBox.From(exchange, geo);
        var update = new BoxUpdate(
            exchange.Id!,
            stored.ToUtf8(),
            BoxChange.Of(stored),
            exchange.State switch { "DRAINING" => true, "ACTIVE" => false, _ => null },
            sessionField,
            TrafficBatch.Read(exchange, message.Root),
            _options.EffectiveExpiry,
            timeProvider.GetUtcNow());

        TrafficCounted? counted;
        try
        {
            counted = await resilience.ExecuteAsync(
                static async (state, token) => (await state.registry.StoreAsync(state.update, token)).Counted,
                (registry, update), cancellationToken);
        }
        catch (Exception ex) when (RedisResilience.IsOutage(ex))
        {
            Log.Unavailable(logger, exchange.Id!, ex);
            return (null, ProtocolError.Unavailable("the entrance cannot reach its store; try again next heartbeat."));
        }
        metrics.Exchanged(started, timeProvider, version);

        // The connection stamps it with the entrance's ID, TYPE, IP, PORT and VERSION.
        var reply = new ExchangeReply
        {
            Command = Commands.Exchange,
            EntranceUrls = self.EntranceUrls,
            Message = "ACCEPTED",
        };
        if (version >= ProtocolVersion.V2)
        {
            reply = reply with
            {
                Sequence = exchange.Sequence,
                TrafficAck = counted is { Mark: >= 0 } c ? c.Mark : null,
                Geo = geo,
                HeartbeatSeconds = _heartbeatSeconds,
                ExpirySeconds = _expirySeconds,
                GrantKey = authenticator.Enabled ? grants.PublicKey : null,
            };
        }
        return (reply, null);
    }

    // The protocol speaks whole seconds; a sub-second test heartbeat still reads as 1.
    private static long WholeSeconds(TimeSpan span) => Math.Max(1, (long)Math.Ceiling(span.TotalSeconds));

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "EXCHANGE from {BoxId} not stored: Redis is unavailable.")]
        public static partial void Unavailable(ILogger logger, string boxId, Exception exception);
    }
}
