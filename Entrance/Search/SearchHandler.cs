using System.Diagnostics;
using Dandelion.Entrance.Auth;
using Dandelion.Entrance.Configuration;
using Dandelion.Entrance.Geo;
using Dandelion.Entrance.History;
using Dandelion.Entrance.Peers;
using Dandelion.Entrance.Publishers;
using Dandelion.Entrance.Telemetry;
using Dandelion.Entrance.Traffic;

namespace Dandelion.Entrance.Search;

/// <summary>
/// Answers a publisher's SEARCH with the best live boxes by <see cref="BoxScorer"/>'s score, from
/// this entrance's <see cref="BoxIndex"/>: a cost that follows what is near the searcher rather
/// than the size of the network (<see cref="IndexQuery"/>), with at most
/// <c>Entrance:Search:MaxPerNetwork</c> boxes of one network (<see cref="NetworkCap"/>). Its one Redis command, only when a
/// version 2 publisher asks (<c>SERVED: true</c>), takes what boxes served of the publisher's files since its previous SEARCH
/// (<see cref="ServedStore"/>, on the publisher's slot) for the reply's <c>SERVED</c>.
/// </summary>
internal sealed partial class SearchHandler(
    GeoIpLocator locator,
    BoxIndex index,
    IndexFeed feed,
    SearchCounter counter,
    GrantSigner grants,
    NodeAuthenticator authenticator,
    EntranceMetrics metrics,
    SearchRecorder recorder,
    PublisherRegistry publishers,
    HistoryRecorder history,
    ServedStore served,
    IOptions<EntranceOptions> options,
    TimeProvider timeProvider,
    ILogger<SearchHandler> logger)
{
    /// <summary>How long a SEARCH waits for an entrance that just started to load its index.</summary>
    public static readonly TimeSpan LoadingWait = TimeSpan.FromSeconds(5);

    private static readonly IReadOnlySet<string> Nobody = new HashSet<string>();

    /// <summary>At most this many boxes past COUNT are ranked to record as candidates not chosen.</summary>
    private const int RunnersUp = 8;

    private readonly SearchOptions _search = options.Value.Search;

    /// <param name="maxMessageBytes">The connection's <see cref="Dandelion.Shared.Connections.PeerConnection.ReplyMaxMessageBytes"/>.</param>
    /// <returns>The reply as UTF-8 JSON, stamped as the connection would, or the error to answer with.</returns>
    public async ValueTask<(byte[]? Reply, ProtocolError? Error)> HandleAsync(InboundMessage message, IPAddress client,
        EntranceSelf self, int version, int? maxMessageBytes, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var search = message.Search!;
        using var span = EntranceTraces.Source.StartActivity("SEARCH", ActivityKind.Server);
        span?.SetTag("dandelion.publisher", search.Id).SetTag("dandelion.version", version);
        var v2 = version >= ProtocolVersion.V2;
        var count = v2 && search.Count is { } wanted ? (int)Math.Min(wanted, _search.MaxCount) : _search.DefaultCount;
        var geo = search.Location is { } at && v2
            ? new GeoLocation { Known = true, Latitude = at.Latitude, Longitude = at.Longitude, Source = PlaceSources.Stated }
            : locator.Locate(ClientAddress.ForGeoIp(client, search.Ip));
        var (latitude, longitude) = (geo.Latitude, geo.Longitude);
        IReadOnlySet<string> exclude = v2 && search.Exclude is { Count: > 0 } excluded ? excluded.ToHashSet(StringComparer.Ordinal) : Nobody;

        if (!feed.Ready.IsCompleted)
        {
            try
            {
                await feed.Ready.WaitAsync(LoadingWait, timeProvider, cancellationToken);
            }
            catch (TimeoutException)
            {
                Log.NotLoaded(logger, search.Id!);
                span?.SetStatus(ActivityStatusCode.Error, "index loading");
                return (null, ProtocolError.Unavailable("the entrance is still loading its boxes; try again."));
            }
        }

        // Asked for first, so Redis works while the index is searched.
        var takingServed = v2 && search.Served == true ? TakeServedAsync(search.Id!) : null;
        var now = timeProvider.GetUtcNow();
        // The runners-up are found too (up to as many again) so the dashboard can say how often a box
        // was a candidate and not chosen; the reply takes the first COUNT.
        // No more than Entrance:Search:MaxPerNetwork boxes of one network, answered or runner-up.
        var found = NetworkCap.Find(ask => index.Find(latitude, longitude, ask, exclude, now), _search.MaxPerNetwork,
            count + Math.Min(count, RunnersUp));
        var hits = found.Count > count ? found.Take(count).ToList() : found;
        var servedFiles = takingServed is null ? null : await takingServed;
        var publisherId = search.Id!;
        var reply = SearchReplyWriter.Write(self, v2, maxMessageBytes, hits,
            v2 && authenticator.Enabled ? boxId => grants.Issue(publisherId, boxId, now, search.UrlKey) : null, servedFiles);
        recorder.Record(found.Select((hit, i) => (hit.Id, new SearchMark
        {
            At = now.ToUnixTimeMilliseconds(),
            Publisher = search.Id,
            Score = hit.Score,
            DistanceKm = Math.Round(hit.Kilometres, 1),
            Parts = new ScoreParts { Distance = hit.DistancePart, Bandwidth = hit.Record.Bandwidth, Storage = hit.Record.Storage, Load = hit.Record.Load },
            Rank = i + 1,
            Version = hit.Record.Version,
            Of = found.Count,
            Chosen = i < count,
        })).ToList());
        span?.SetTag("dandelion.boxes", hits.Count);
        counter.Add();
        metrics.Searched(started, timeProvider, version);
        history.Searched();
        if (v2)
            _ = publishers.RecordAsync(search, geo);
        return (reply, null);
    }

    /// <summary>Null when Redis cannot be reached: the counts stay there for the next SEARCH.</summary>
    private async Task<List<ServedReport>?> TakeServedAsync(string publisherId)
    {
        try
        {
            return await served.TakeAsync(publisherId);
        }
        catch (Exception ex) when (Redis.RedisResilience.IsOutage(ex))
        {
            Log.ServedNotTaken(logger, publisherId, ex);
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(2, LogLevel.Warning, "SEARCH from {PublisherId} answered without SERVED: Redis is unavailable.")]
        public static partial void ServedNotTaken(ILogger logger, string publisherId, Exception exception);

        [LoggerMessage(1, LogLevel.Warning, "SEARCH from {PublisherId} not answered: the index is still loading.")]
        public static partial void NotLoaded(ILogger logger, string publisherId);
    }
}
