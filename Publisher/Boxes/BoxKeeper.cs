using System.Threading.Channels;
using Dandelion.Publisher.Configuration;
using Dandelion.Publisher.Entrances;
using Dandelion.Publisher.Telemetry;
using Dandelion.Shared.Connections;

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
    private readonly BoxSearch _search;
    private readonly BoxConnector _connector;
    private readonly BoxPool _pool;
    private readonly TimeProvider _time;
    private readonly ILogger<BoxKeeper> _logger;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentDictionary<string, Task> _runners = new(StringComparer.Ordinal);
    private readonly Polly.ResiliencePipeline _searchPipeline;
    private CancellationToken _stopping;

    public BoxKeeper(IOptions<PublisherOptions> options, PublisherIdentity identity, EntranceClient entrances, BoxConnector connector,
        BoxPool pool, OffloadStats offload, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<BoxKeeper> logger,
        DistrustedBoxes distrusted, ViewerUrlKey urlKey)
    {
        _lifetime = lifetime;
        _options = options.Value;
        _search = new BoxSearch(_options, identity, entrances, offload, distrusted, urlKey, logger);
        _connector = connector;
        _pool = pool;
        _time = time;
        _logger = logger;
        _pool.ShortOfBoxes += Wake;
        _searchPipeline = PeerRetry.Build(time, TimeSpan.FromSeconds(Math.Max(2, _options.SearchInterval.TotalSeconds * 3)),
            (attempt, delay, reason) => Log.NoEntrance(_logger, attempt, delay.TotalSeconds, reason));
    }

    /// <summary>Search now rather than at the end of the period (still at most once a second).</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        if (!_search.HasEntrances)
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
        var (answers, problems) = await _search.AskAllAsync(_pool.CoolingDown, cancellationToken).ConfigureAwait(false);
        if (answers.Count == 0)
        {
            _pool.Problem = "no entrance answered SEARCH: " + string.Join(" ", problems);
            throw new PeerUnavailableException(_pool.Problem);
        }
        var found = answers.SelectMany(a => a.Boxes).ToList();
        _pool.Problem = found.Count == 0 ? "the entrances know no box." : null;
        foreach (var answer in answers)
            _pool.KeepGrants(answer.Grants);

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
