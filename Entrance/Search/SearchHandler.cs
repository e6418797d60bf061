using System.Net;
using Dandelion.Entrance.Auth;
using Dandelion.Entrance.Configuration;
using Dandelion.Entrance.Geo;
using Dandelion.Entrance.Sessions;
using Dandelion.Entrance.Telemetry;
using Dandelion.Shared.Protocol;
using Microsoft.Extensions.Options;

namespace Dandelion.Entrance.Search;

/// <summary>
/// Answers a publisher's SEARCH with the best live boxes by <see cref="BoxScorer"/>'s score, from
/// this entrance's <see cref="BoxIndex"/>: no Redis command, and a cost that follows what is
/// near the searcher rather than the size of the network (<see cref="IndexQuery"/>).
/// </summary>
internal sealed partial class SearchHandler(
    GeoIpLocator locator,
    BoxIndex index,
    IndexFeed feed,
    SearchCounter counter,
    GrantSigner grants,
    NodeAuthenticator authenticator,
    EntranceMetrics metrics,
    IOptions<EntranceOptions> options,
    TimeProvider timeProvider,
    ILogger<SearchHandler> logger)
{
    /// <summary>How long a SEARCH waits for an entrance that just started to load its index.</summary>
    public static readonly TimeSpan LoadingWait = TimeSpan.FromSeconds(5);

    private static readonly IReadOnlySet<string> Nobody = new HashSet<string>();

    private readonly SearchOptions _search = options.Value.Search;

    /// <param name="maxMessageBytes">The connection's <see cref="Dandelion.Shared.Connections.PeerConnection.ReplyMaxMessageBytes"/>.</param>
    /// <returns>The reply as UTF-8 JSON, stamped as the connection would, or the error to answer with.</returns>
    public async ValueTask<(byte[]? Reply, ProtocolError? Error)> HandleAsync(InboundMessage message, IPAddress client,
        EntranceSelf self, int version, int? maxMessageBytes, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var search = message.Search!;
        var v2 = version >= ProtocolVersion.V2;
        var count = v2 && search.Count is { } wanted ? (int)Math.Min(wanted, _search.MaxCount) : _search.DefaultCount;
        var (latitude, longitude) = search.Location is { } at && v2
            ? (at.Latitude, at.Longitude)
            : Place(client, search.Ip);
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
                return (null, ProtocolError.Unavailable("the entrance is still loading its boxes; try again."));
            }
        }

        var now = timeProvider.GetUtcNow();
        var hits = index.Find(latitude, longitude, count, exclude, now);
        var reply = SearchReplyWriter.Write(self, v2, maxMessageBytes, hits, v2 && authenticator.Enabled ? grants.Issue(search.Id!, now) : null);
        counter.Add();
        metrics.Searched(started, timeProvider, version);
        return (reply, null);
    }

    private (double Latitude, double Longitude) Place(IPAddress client, string? reportedIp)
    {
        var geo = locator.Locate(ClientAddress.ForGeoIp(client, reportedIp));
        return (geo.Latitude, geo.Longitude);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "SEARCH from {PublisherId} not answered: the index is still loading.")]
        public static partial void NotLoaded(ILogger logger, string publisherId);
    }
}
