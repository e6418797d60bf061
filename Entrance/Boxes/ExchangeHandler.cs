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
    private readonly long _heartbeatSeconds = WholeSeconds(options.Value.Heartbeat);
    private readonly long _expirySeconds = WholeSeconds(options.Value.EffectiveExpiry);
    private readonly TimeSpan _version1Expiry = options.Value.Version1Expiry;

    /// <param name="sessionField">This version 2 session's id in the box's sessions hash; null for version 1.</param>
    /// <returns>The reply, or the error to answer with.</returns>
    public async ValueTask<(ExchangeReply? Reply, ProtocolError? Error)> HandleAsync(InboundMessage message, IPAddress client,
        EntranceSelf self, int version, string? sessionField, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var exchange = message.Exchange!;
        var geo = locator.Locate(ClientAddress.ForGeoIp(client, exchange.Ip));
        var update = new BoxUpdate(
            exchange.Id!,
            BoxDocument.Write(message.Root, geo),
            geo.Latitude,
            geo.Longitude,
            FreeBandwidth(exchange),
            exchange.State switch { "DRAINING" => true, "ACTIVE" => false, _ => null },
            sessionField,
            TrafficBatch.Read(exchange, message.Root),
            timeProvider.GetUtcNow())
        {
            // An original box cannot be told its heartbeat; it is kept as long as the original would keep it.
            Expiry = version >= ProtocolVersion.V2 ? null : _version1Expiry,
        };

        TrafficCounted? counted;
        try
        {
            counted = await resilience.ExecuteAsync(
                static (state, token) => new ValueTask<TrafficCounted?>(state.registry.StoreAsync(state.update, token)),
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
            EntranceUrls = self.UrlsFor(version),
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

    /// <summary>Upload bytes/s the box can still give; 0 when it states no ceiling (version 1).</summary>
    public static long FreeBandwidth(ExchangeRequest exchange) =>
        exchange.BandwidthCeiling is { } ceiling && ceiling > 0 ? Math.Max(0, ceiling - (exchange.BandwidthUsed ?? 0)) : 0;

    // The protocol speaks whole seconds; a sub-second test heartbeat still reads as 1.
    private static long WholeSeconds(TimeSpan span) => Math.Max(1, (long)Math.Ceiling(span.TotalSeconds));

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "EXCHANGE from {BoxId} not stored: Redis is unavailable.")]
        public static partial void Unavailable(ILogger logger, string boxId, Exception exception);
    }
}
