using System.Collections.Concurrent;
using System.Text.Json;
using Dandelion.Publisher.Configuration;
using Dandelion.Shared.Connections;
using Dandelion.Shared.Protocol;
using Microsoft.Extensions.Options;

namespace Dandelion.Publisher.Entrances;

/// <summary>
/// One SEARCH against one entrance: connect, ask, read the answer, close (as the original
/// publisher does). EXCLUDE is shortened until the request fits what the entrance said it accepts
/// (<c>MAX_MESSAGE_BYTES</c>; 64 KiB until it says). A version 1 entrance answers only
/// <c>BOX_SET</c>; its boxes are ranked with score 0 in the order given.
/// </summary>
internal sealed class EntranceClient(IOptions<PublisherOptions> options, PublisherIdentity identity, TimeProvider time)
{
    private const int MaxReply = 8 * 1024 * 1024;
    private const int DefaultLimit = 64 * 1024;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly PeerClient _client = new(new NodeStamp(identity.Id, NodeTypes.Publisher, options.Value.Ip, null), time,
        new PeerTrust(options.Value.Tls.CaBundle));
    private readonly ConcurrentDictionary<string, long> _limits = new(StringComparer.Ordinal);

    /// <exception cref="PeerUnavailableException">The entrance could not be reached, or refused.</exception>
    public async Task<SearchResult> SearchAsync(string url, SearchRequest request, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            throw new PeerUnavailableException($"'{url}' is not a URL.");
        var reply = await _client.AskOnceAsync(uri, Fit(request, _limits.GetValueOrDefault(url, DefaultLimit)),
            ProtocolJsonContext.Default.SearchReply, MaxReply, Timeout, cancellationToken).ConfigureAwait(false);
        if (reply.MaxMessageBytes is { } limit)
            _limits[url] = limit;
        return new SearchResult(Rank(reply), reply.Grants ?? new Dictionary<string, string>(), reply.EntranceUrls ?? [], reply.Served ?? []);
    }

    /// <summary>
    /// The request as sent, with <c>EXCLUDE</c>, then <c>STREAMS</c> (for the dashboard only),
    /// halved until it fits <paramref name="limit"/>.
    /// </summary>
    internal byte[] Fit(SearchRequest request, long limit)
    {
        var bytes = _client.Self.Serialize(request, ProtocolJsonContext.Default.SearchRequest, ProtocolVersion.V2);
        while (bytes.Length > limit && request is { Exclude.Count: > 0 } or { Streams.Count: > 0 })
        {
            request = request.Exclude is { Count: > 0 } exclude
                ? request with { Exclude = exclude.Take(exclude.Count / 2).ToList() }
                : request with { Streams = request.Streams!.Take(request.Streams!.Count / 2).ToList() };
            bytes = _client.Self.Serialize(request, ProtocolJsonContext.Default.SearchRequest, ProtocolVersion.V2);
        }
        return bytes;
    }

    /// <summary><c>RANKING</c> when the entrance speaks version 2, else <c>BOX_SET</c> in the order given.</summary>
    internal static IReadOnlyList<RankedBox> Rank(SearchReply reply)
    {
        if (reply.Ranking is { } ranking)
            return ranking.Where(b => !string.IsNullOrEmpty(b.ConnectWs)).ToList();

        var boxes = new List<RankedBox>();
        foreach (var (id, value) in reply.BoxSet ?? new Dictionary<string, JsonElement>())
        {
            ExchangeRequest? exchange;
            try
            {
                exchange = value.Deserialize(ProtocolJsonContext.Default.ExchangeRequest);
            }
            catch (JsonException)
            {
                continue;
            }
            if (exchange?.ConnectWs is not { Length: > 0 } connect)
                continue;
            GeoLocation? geo = null;
            if (exchange.Extra?.TryGetValue("GEO", out var geoElement) == true)
            {
                try
                {
                    geo = geoElement.Deserialize(ProtocolJsonContext.Default.GeoLocation);
                }
                catch (JsonException)
                {
                }
            }
            boxes.Add(new RankedBox { Id = id, ConnectWs = connect, HttpUrl = exchange.HttpUrl, Parts = new ScoreParts(), Geo = geo });
        }
        return boxes;
    }
}
