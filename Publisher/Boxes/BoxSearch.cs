using Dandelion.Publisher.Configuration;
using Dandelion.Publisher.Entrances;
using Dandelion.Publisher.Telemetry;
using Dandelion.Shared.Connections;

namespace Dandelion.Publisher.Boxes;

/// <summary>
/// One SEARCH round for <see cref="BoxKeeper"/>: the request this publisher sends (what to
/// exclude, what it served, what it caught), asked of every known entrance at once, and the
/// entrances learnt from the answers. It writes nothing of the box pool: the keeper does.
/// </summary>
internal sealed partial class BoxSearch
{
    /// <summary>Streams reported in each SEARCH (the entrance keeps 32).</summary>
    private const int MaxReportedStreams = 32;

    private readonly PublisherOptions _options;
    private readonly PublisherIdentity _identity;
    private readonly EntranceClient _entrances;
    private readonly OffloadStats _offload;
    private readonly DistrustedBoxes _distrusted;
    private readonly ViewerUrlKey _urlKey;
    private readonly ILogger _logger;
    private readonly string _name;
    private readonly HashSet<string> _entranceUrls;

    public BoxSearch(PublisherOptions options, PublisherIdentity identity, EntranceClient entrances, OffloadStats offload,
        DistrustedBoxes distrusted, ViewerUrlKey urlKey, ILogger logger)
    {
        _urlKey = urlKey;
        _options = options;
        _identity = identity;
        _entrances = entrances;
        _offload = offload;
        _distrusted = distrusted;
        _logger = logger;
        _name = string.IsNullOrWhiteSpace(options.Name) ? Environment.MachineName : options.Name.Trim();
        _entranceUrls = new HashSet<string>(options.Entrances.Select(u => EntranceUrl.WebSocketForm(u) ?? u), StringComparer.Ordinal);
    }

    public bool HasEntrances => _entranceUrls.Count > 0;

    /// <summary>Asks every known entrance at once: one that hangs must not hold up the others.</summary>
    /// <param name="coolingDown">Boxes not to be offered this round.</param>
    public async Task<(List<SearchResult> Answers, List<string> Problems)> AskAllAsync(IEnumerable<string> coolingDown, CancellationToken cancellationToken)
    {
        var request = Request(coolingDown);
        var answers = await Task.WhenAll(_entranceUrls.ToList().Select(async url =>
        {
            try
            {
                return (Result: await _entrances.SearchAsync(url, request, cancellationToken).ConfigureAwait(false), Problem: (string?)null);
            }
            catch (PeerUnavailableException ex)
            {
                Log.SearchFailed(_logger, url, ex.Message);
                return (Result: (SearchResult?)null, Problem: ex.Message);
            }
        })).ConfigureAwait(false);

        var results = new List<SearchResult>();
        var problems = new List<string>();
        foreach (var (result, problem) in answers)
        {
            if (result is null)
            {
                problems.Add(problem!);
                continue;
            }
            results.Add(result);
            _offload.Delivered(result.Served);
            foreach (var peer in result.EntranceUrls)
            {
                // An original entrance writes its peers in the http(s):// form of the same socket.
                if (EntranceUrl.WebSocketForm(peer) is { } url)
                    _entranceUrls.Add(url);
            }
        }
        return (results, problems);
    }

    private SearchRequest Request(IEnumerable<string> coolingDown) => new()
    {
        Id = _identity.Id,
        Ip = _options.Ip,
        Type = NodeTypes.Publisher,
        Command = Commands.Search,
        Version = ProtocolVersion.V2,
        Token = string.IsNullOrEmpty(_options.Token) ? null : _options.Token,
        Count = _options.Boxes * 2,
        Location = _options.Location is { } at ? new GeoPoint { Latitude = at.Lat, Longitude = at.Lon } : null,
        // Distrusted boxes are never offered again (Integrity/DistrustedBoxes).
        Exclude = coolingDown.Concat(_distrusted.All.Select(d => d.Box)).ToList() is { Count: > 0 } excluded ? excluded : null,
        // The latest few, for the operator's dashboard.
        Distrusted = _distrusted.All.TakeLast(MaxReportedStreams).Select(d => d.Box).ToList() is { Count: > 0 } caught ? caught : null,
        Name = _name,
        // What boxes served of this publisher's files: the offload figures are computed from it.
        Served = true,
        // The grants the reply carries bind this key, so boxes take it for this publisher's viewer URLs.
        UrlKey = _urlKey.Fingerprint,
        // What this publisher served so far, for the operators' offload figures: the busiest
        // streams, as many as an entrance keeps.
        Streams = _offload.Snapshot().OrderByDescending(s => s.Value.OriginBytes + s.Value.BoxBytes).Take(MaxReportedStreams).Select(s => new StreamReport
        {
            Name = s.Key,
            OriginBytes = s.Value.OriginBytes,
            BoxBytes = s.Value.BoxBytes,
            OriginRequests = s.Value.OriginRequests,
            BoxRequests = s.Value.BoxRequests,
            RedirectBytes = s.Value.RedirectBytes,
            RedirectRequests = s.Value.RedirectRequests,
        }).ToList(),
    };

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "SEARCH at {Entrance} failed: {Reason}")]
        public static partial void SearchFailed(ILogger logger, string entrance, string reason);
    }
}
