using System.Collections.Concurrent;
using System.Threading.Channels;
using Dandelion.Publisher.Configuration;
using Dandelion.Publisher.Entrances;
using Dandelion.Publisher.Integrity;
using Dandelion.Publisher.Media;
using Dandelion.Shared.Connections;
using Dandelion.Shared.Protocol;
using Microsoft.Extensions.Options;

namespace Dandelion.Publisher.Boxes;

/// <summary>
/// Finds and keeps boxes: SEARCHes the entrances every <c>SearchInterval</c> (and at once,
/// at most once a second, when a box is lost or placement runs short), keeps sessions to
/// the best-ranked <c>Boxes</c> boxes, replaces boxes that fail, refuse or vanish from
/// SEARCH. When no entrance answers, the one retry policy (<see cref="PeerRetry"/>) backs off.
/// </summary>
internal sealed partial class BoxKeeper : BackgroundService
{
    private static readonly TimeSpan MinimumGap = TimeSpan.FromSeconds(1);
    /// <summary>A session that lasts this long clears the box's failure count.</summary>
    private static readonly TimeSpan HealthySession = TimeSpan.FromSeconds(30);

    private readonly PublisherOptions _options;
    private readonly PublisherIdentity _identity;
    private readonly EntranceClient _entrances;
    private readonly BoxConnector _connector;
    private readonly BoxPool _pool;
    /// <summary>Streams reported in each SEARCH (the entrance keeps 32).</summary>
    private const int MaxReportedStreams = 32;

    private readonly OffloadStats _offload;
    private readonly DistrustedBoxes _distrusted;
    private readonly ViewerUrlKey _urlKey;
    private readonly string _name;
    private readonly TimeProvider _time;
    private readonly ILogger<BoxKeeper> _logger;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentDictionary<string, Task> _runners = new(StringComparer.Ordinal);
    private readonly Polly.ResiliencePipeline _searchPipeline;
    private readonly HashSet<string> _entranceUrls;
    private CancellationToken _stopping;

    public BoxKeeper(IOptions<PublisherOptions> options, PublisherIdentity identity, EntranceClient entrances, BoxConnector connector,
        BoxPool pool, OffloadStats offload, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<BoxKeeper> logger,
        DistrustedBoxes distrusted, ViewerUrlKey urlKey)
    {
        _distrusted = distrusted;
        _urlKey = urlKey;
        _offload = offload;
        _name = string.IsNullOrWhiteSpace(options.Value.Name) ? Environment.MachineName : options.Value.Name.Trim();
        _lifetime = lifetime;
        _options = options.Value;
        _identity = identity;
        _entrances = entrances;
        _connector = connector;
        _pool = pool;
        _time = time;
        _logger = logger;
        _entranceUrls = new HashSet<string>(_options.Entrances.Select(u => EntranceUrl.WebSocketForm(u) ?? u), StringComparer.Ordinal);
        _pool.ShortOfBoxes += Wake;
        _searchPipeline = PeerRetry.Build(time, TimeSpan.FromSeconds(Math.Max(2, _options.SearchInterval.TotalSeconds * 3)),
            (attempt, delay, reason) => Log.NoEntrance(_logger, attempt, delay.TotalSeconds, reason));
    }

    /// <summary>Search now rather than at the end of the period (still at most once a second).</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        if (_entranceUrls.Count == 0)
        {
            _pool.Problem = "no entrances are configured (Publisher:Entrances).";
            Log.NoEntrancesConfigured(_logger);
            return;
        }
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await _searchPipeline.ExecuteAsync(SearchAndConnectAsync, stoppingToken).ConfigureAwait(false);
                await Task.Delay(MinimumGap, _time, stoppingToken).ConfigureAwait(false);
                using var period = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                period.CancelAfter(_options.SearchInterval);
                try
                {
                    await _wake.Reader.ReadAsync(period.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // The period is over: search again.
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var session in _pool.OpenSessions)
                session.Stop("the publisher is stopping.");
            await Task.WhenAll(_runners.Values).ConfigureAwait(false);
        }
    }

    private async ValueTask SearchAndConnectAsync(CancellationToken cancellationToken)
    {
        var request = new SearchRequest
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
            Exclude = _pool.CoolingDown.Concat(_distrusted.All.Select(d => d.Box)).ToList() is { Count: > 0 } excluded ? excluded : null,
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

        // Every entrance at once: one that hangs must not hold up the others.
        var urls = _entranceUrls.ToList();
        var answers = await Task.WhenAll(urls.Select(async url =>
        {
            try
            {
                return (Url: url, Result: await _entrances.SearchAsync(url, request, cancellationToken).ConfigureAwait(false), Problem: (string?)null);
            }
            catch (PeerUnavailableException ex)
            {
                Log.SearchFailed(_logger, url, ex.Message);
                return (Url: url, Result: (SearchResult?)null, Problem: ex.Message);
            }
        })).ConfigureAwait(false);

        var found = new List<RankedBox>();
        var answered = 0;
        var problems = new List<string>();
        foreach (var (_, result, problem) in answers)
        {
            if (result is null)
            {
                problems.Add(problem!);
                continue;
            }
            answered++;
            _offload.Delivered(result.Served);
            found.AddRange(result.Boxes);
            _pool.KeepGrants(result.Grants);
            foreach (var peer in result.EntranceUrls)
            {
                // An original entrance writes its peers in the http(s):// form of the same socket.
                if (EntranceUrl.WebSocketForm(peer) is { } url)
                    _entranceUrls.Add(url);
            }
        }
        if (answered == 0)
        {
            _pool.Problem = "no entrance answered SEARCH: " + string.Join(" ", problems);
            throw new PeerUnavailableException(_pool.Problem);
        }
        _pool.Problem = found.Count == 0 ? "the entrances know no box." : null;

        _pool.UpdateKnown(found);
        var known = _pool.Known;
        _pool.ForgetGrantsBut(known);

        // A box no entrance offers any more is gone (expired, draining, or excluded).
        foreach (var session in _pool.OpenSessions)
        {
            if (!known.ContainsKey(session.Id))
                session.Stop("it vanished from SEARCH.");
            else
                session.Box = known[session.Id];
        }

        foreach (var box in known.Values.OrderByDescending(b => b.Score))
        {
            if (_runners.Count >= _options.Boxes)
                break;
            if (_runners.ContainsKey(box.Id) || _pool.IsCoolingDown(box.Id))
                continue;
            var runner = new TaskCompletionSource();
            if (_runners.TryAdd(box.Id, runner.Task))
                _ = RunBoxAsync(box, runner, _stopping);
        }
    }

    /// <summary>One session's life: open, run until it ends, then make room for a replacement.</summary>
    private async Task RunBoxAsync(RankedBox box, TaskCompletionSource done, CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            BoxSession session;
            try
            {
                session = await _connector.OpenAsync(box, _pool.GrantFor(box.Id), stoppingToken).ConfigureAwait(false);
            }
            catch (PeerUnavailableException ex)
            {
                Log.OpenFailed(_logger, box.Id, ex.Message);
                _pool.CoolDown(box.Id);
                return;
            }

            Log.Opened(_logger, box.Id, session.Version, session.HttpUrl);
            _pool.Add(session);
            string reason;
            try
            {
                reason = await session.RunAsync(stoppingToken).ConfigureAwait(false);
            }
            finally
            {
                _pool.Remove(session);
            }
            Log.Closed(_logger, box.Id, reason);
            if (stoppingToken.IsCancellationRequested)
                return;
            if (_time.GetUtcNow() - session.OpenedAt >= HealthySession)
                _pool.Forgive(box.Id);
            _pool.CoolDown(box.Id);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not a network fault: a bug. Stop the publisher loudly rather than run on half-broken.
            Log.SessionCrashed(_logger, box.Id, ex);
            _lifetime.StopApplication();
            throw;
        }
        finally
        {
            _runners.TryRemove(box.Id, out _);
            done.TrySetResult();
            Wake();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "No entrances configured (Publisher:Entrances): files are served from this publisher only")]
        public static partial void NoEntrancesConfigured(ILogger logger);

        [LoggerMessage(Level = LogLevel.Warning, Message = "SEARCH at {Entrance} failed: {Reason}")]
        public static partial void SearchFailed(ILogger logger, string entrance, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "No entrance answered (attempt {Attempt}); next SEARCH in {Seconds:0.0} s: {Reason}")]
        public static partial void NoEntrance(ILogger logger, int attempt, double seconds, string? reason);

        [LoggerMessage(Level = LogLevel.Information, Message = "Box {BoxId} could not be opened: {Reason}")]
        public static partial void OpenFailed(ILogger logger, string boxId, string reason);

        [LoggerMessage(Level = LogLevel.Information, Message = "Box {BoxId} open (version {Version}, files at {HttpUrl})")]
        public static partial void Opened(ILogger logger, string boxId, int version, string? httpUrl);

        [LoggerMessage(Level = LogLevel.Critical, Message = "The session to box {BoxId} failed unexpectedly; stopping")]
        public static partial void SessionCrashed(ILogger logger, string boxId, Exception exception);

        [LoggerMessage(Level = LogLevel.Information, Message = "Box {BoxId} closed: {Reason}")]
        public static partial void Closed(ILogger logger, string boxId, string reason);
    }
}
