using System.Diagnostics;
using Dandelion.Entrance.Auth;
using Dandelion.Entrance.Configuration;
using Dandelion.Entrance.Geo;
using Dandelion.Entrance.History;
using Dandelion.Entrance.Peers;
using Dandelion.Entrance.Redis;
using Dandelion.Entrance.Telemetry;
using Dandelion.Entrance.Traffic;
using Polly;

namespace Dandelion.Entrance.Boxes;

/// <summary>Answers a box's EXCHANGE: place it, store it, count its traffic, reply.</summary>
internal sealed partial class ExchangeHandler(
    PlaceDecider places,
    BoxRegistry registry,
    ResiliencePipeline resilience,
    GrantSigner grants,
    NodeAuthenticator authenticator,
    EntranceMetrics metrics,
    HistoryRecorder history,
    ServedTally served,
    IOptions<EntranceOptions> options,
    TimeProvider timeProvider,
    ILogger<ExchangeHandler> logger)
{
    private readonly EntranceOptions _options = options.Value;
    private readonly long _heartbeatSeconds = WholeSeconds(options.Value.Heartbeat);
    private readonly long _expirySeconds = WholeSeconds(options.Value.EffectiveExpiry);
    private readonly TimeSpan _version1Expiry = options.Value.Version1Expiry;

    /// <param name="sessionField">This version 2 session's id in the box's sessions hash; null for version 1.</param>
    /// <param name="viaProxy">The client address came from a trusted proxy's <c>X-Forwarded-For</c>.</param>
    /// <returns>The reply, or the error to answer with.</returns>
    public async ValueTask<(ExchangeReply? Reply, ProtocolError? Error)> HandleAsync(InboundMessage message, IPAddress client,
        EntranceSelf self, int version, string? sessionField, bool viaProxy, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var exchange = message.Exchange!;
        using var span = EntranceTraces.Source.StartActivity("EXCHANGE", ActivityKind.Server);
        span?.SetTag("dandelion.box", exchange.Id).SetTag("dandelion.version", version);
        var v2 = version >= ProtocolVersion.V2;
        var placement = places.Decide(client, viaProxy, exchange.Ip, v2 ? exchange.Location : null);
        var geo = placement.Used;
        var name = v2 ? NodeName.Clean(exchange.Name) : null;
        var record = StoredBox.From(exchange, placement, name, BoxNetwork.Of(client));
        var update = new BoxUpdate(
            exchange.Id!,
            record.ToUtf8(),
            BoxChange.Of(record),
            exchange.State switch { "DRAINING" => true, "ACTIVE" => false, _ => null },
            sessionField,
            TrafficBatch.Read(exchange, message.Root, _options.MaxTrafficSize),
            // An original box cannot be told its heartbeat; it is kept as long as the original would keep it.
            version >= ProtocolVersion.V2 ? _options.EffectiveExpiry : _version1Expiry,
            timeProvider.GetUtcNow(),
            new BandwidthBelief(exchange.BandwidthCeiling, _options.Search.NewBoxBandwidth, _options.Search.MaxBoxBandwidth));

        StoreOutcome stored;
        try
        {
            stored = await resilience.ExecuteAsync(
                static async (state, token) => await state.registry.StoreAsync(state.update, token),
                (registry, update), cancellationToken);
        }
        catch (Exception ex) when (RedisResilience.IsOutage(ex))
        {
            Log.Unavailable(logger, exchange.Id!, ex);
            span?.SetStatus(ActivityStatusCode.Error, "Redis unavailable");
            return (null, ProtocolError.Unavailable("the entrance cannot reach its store; try again next heartbeat."));
        }
        metrics.Exchanged(started, timeProvider, version);
        var counted = stored.Counted;
        history.Exchanged(counted?.Bytes ?? 0);
        served.Add(update.Traffic, counted?.Flags);
        LogChanges(exchange.Id!, name, client, geo, stored, version, counted);

        // The connection stamps it with the entrance's ID, TYPE, IP, PORT and VERSION.
        var reply = new ExchangeReply
        {
            Command = Commands.Exchange,
            EntranceUrls = self.UrlsFor(version),
            Message = "ACCEPTED",
        };
        if (v2)
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

    private void LogChanges(string boxId, string? name, IPAddress client, GeoLocation geo, StoreOutcome stored, int version, TrafficCounted? counted)
    {
        if (stored.Joined)
            Log.Joined(logger, name ?? boxId, boxId, version, client, geo.City ?? geo.Country ?? "an unknown place", geo.Source ?? PlaceSources.GeoIp);
        if (stored.Draining is true)
            Log.Draining(logger, name ?? boxId, boxId);
        else if (stored.Draining is false)
            Log.Active(logger, name ?? boxId, boxId);
        Log.Exchanged(logger, boxId, version, counted?.Requests ?? 0, counted?.Bytes ?? 0);
    }

    // The protocol speaks whole seconds; a sub-second test heartbeat still reads as 1.
    private static long WholeSeconds(TimeSpan span) => Math.Max(1, (long)Math.Ceiling(span.TotalSeconds));

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "EXCHANGE from {BoxId} not stored: Redis is unavailable.")]
        public static partial void Unavailable(ILogger logger, string boxId, Exception exception);

        [LoggerMessage(2, LogLevel.Information, "Box {Name} ({BoxId}) joined: version {Version}, from {Client}, placed in {Place} by {Source}.")]
        public static partial void Joined(ILogger logger, string name, string boxId, int version, IPAddress client, string place, string source);

        [LoggerMessage(3, LogLevel.Information, "Box {Name} ({BoxId}) is draining: SEARCH no longer offers it.")]
        public static partial void Draining(ILogger logger, string name, string boxId);

        [LoggerMessage(4, LogLevel.Information, "Box {Name} ({BoxId}) is active again.")]
        public static partial void Active(ILogger logger, string name, string boxId);

        [LoggerMessage(5, LogLevel.Debug, "EXCHANGE from {BoxId} (version {Version}): {Requests} requests, {Bytes} bytes of traffic counted.")]
        public static partial void Exchanged(ILogger logger, string boxId, int version, long requests, long bytes);
    }
}
