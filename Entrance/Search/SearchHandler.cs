using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Dandelion.Entrance.Auth;
using Dandelion.Entrance.Configuration;
using Dandelion.Entrance.Geo;
using Dandelion.Entrance.History;
using Dandelion.Entrance.Publishers;
using Dandelion.Entrance.Redis;
using Dandelion.Entrance.Sessions;
using Dandelion.Entrance.Telemetry;
using Dandelion.Shared.Protocol;
using Microsoft.Extensions.Options;
using Polly;

namespace Dandelion.Entrance.Search;

/// <summary>Answers a publisher's SEARCH with the best live boxes, ranked by <see cref="BoxScorer"/>.</summary>
internal sealed partial class SearchHandler(
    GeoIpLocator locator,
    CandidateFinder finder,
    ResiliencePipeline resilience,
    GrantSigner grants,
    NodeAuthenticator authenticator,
    EntranceMetrics metrics,
    SearchRecorder recorder,
    PublisherRegistry publishers,
    HistoryRecorder history,
    IOptions<EntranceOptions> options,
    TimeProvider timeProvider,
    ILogger<SearchHandler> logger)
{
    /// <summary>Candidates fetched per source, as a multiple of the boxes wanted.</summary>
    public const int CandidateFactor = 4;

    private readonly SearchOptions _search = options.Value.Search;

    /// <returns>The reply (the connection stamps it), or the error to answer with.</returns>
    public async ValueTask<(SearchReply? Reply, ProtocolError? Error)> HandleAsync(InboundMessage message, IPAddress client,
        EntranceSelf self, int version, CancellationToken cancellationToken)
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
        var exclude = v2 && search.Exclude is { } excluded ? excluded.ToHashSet(StringComparer.Ordinal) : [];
        var now = timeProvider.GetUtcNow();

        List<Candidate> candidates;
        try
        {
            candidates = await resilience.ExecuteAsync(
                static (s, token) => new ValueTask<List<Candidate>>(s.finder.FindAsync(s.latitude, s.longitude, s.perSource, s.exclude, s.now, token)),
                (finder, latitude, longitude, perSource: count * CandidateFactor, exclude, now), cancellationToken);
        }
        catch (Exception ex) when (RedisResilience.IsOutage(ex))
        {
            Log.Unavailable(logger, search.Id!, ex);
            span?.SetStatus(ActivityStatusCode.Error, "Redis unavailable");
            return (null, ProtocolError.Unavailable("the entrance cannot reach its store; try again."));
        }

        var documents = new List<JsonDocument>(candidates.Count);
        try
        {
            var ranked = new List<(RankedBox Box, JsonElement Document)>(candidates.Count);
            foreach (var candidate in candidates)
            {
                JsonDocument document;
                try
                {
                    document = JsonDocument.Parse(candidate.Document);
                }
                catch (JsonException)
                {
                    continue; // Written by us; unreadable only if someone else wrote the key.
                }
                documents.Add(document);
                ranked.Add((Rank(candidate.Id, document.RootElement, latitude, longitude), document.RootElement));
            }
            ranked.Sort((a, b) => b.Box.Score.CompareTo(a.Box.Score) is var byScore and not 0 ? byScore : string.CompareOrdinal(a.Box.Id, b.Box.Id));
            recorder.Record(ranked.Select((r, i) => (r.Box.Id, new SearchMark
            {
                At = now.ToUnixTimeMilliseconds(),
                Publisher = search.Id,
                Score = r.Box.Score,
                DistanceKm = r.Box.DistanceKm,
                Parts = r.Box.Parts,
                Rank = i + 1,
                Of = ranked.Count,
                Chosen = i < count,
            })).ToList());
            if (ranked.Count > count)
                ranked.RemoveRange(count, ranked.Count - count);

            var reply = new SearchReply
            {
                Command = Commands.Search,
                EntranceUrls = self.UrlsFor(version),
                // Cloned (or rebuilt flat): the documents are disposed when this returns, before the reply is serialized.
                BoxSet = ranked.ToDictionary(r => r.Box.Id, r => v2 ? r.Document.Clone() : Version1Values.Flat(r.Document), StringComparer.Ordinal),
                Ranking = v2 ? ranked.Select(r => r.Box).ToList() : null,
                Grant = v2 && authenticator.Enabled ? grants.Issue(search.Id!, now) : null,
            };
            span?.SetTag("dandelion.boxes", ranked.Count);
            metrics.Searched(started, timeProvider, version);
            history.Searched();
            if (v2)
                _ = publishers.RecordAsync(search, geo);
            return (reply, null);
        }
        finally
        {
            foreach (var document in documents)
                document.Dispose();
        }
    }

    private RankedBox Rank(string id, JsonElement document, double latitude, double longitude)
    {
        var figures = BoxFigures.Read(document);
        var km = GeoDistance.Kilometres(latitude, longitude, figures.Latitude, figures.Longitude);
        var parts = BoxScorer.Parts(figures, km);
        return new RankedBox
        {
            Id = id,
            ConnectWs = Text(document, "CONNECT_WS"),
            HttpUrl = Text(document, "HTTP_URL"),
            Name = Text(document, "NAME"),
            Score = Math.Round(BoxScorer.Score(parts, _search.Weights), 6),
            DistanceKm = Math.Round(km, 1),
            Parts = parts,
            Geo = document.TryGetProperty("GEO", out var geo)
                ? geo.Deserialize(ProtocolJsonContext.Default.GeoLocation)
                : null,
        };
    }

    private static string? Text(JsonElement document, string name) =>
        document.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "SEARCH from {PublisherId} not answered: Redis is unavailable.")]
        public static partial void Unavailable(ILogger logger, string publisherId, Exception exception);
    }
}
