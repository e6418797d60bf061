using Dandelion.Publisher.Configuration;

namespace Dandelion.Publisher.Boxes;

/// <summary>
/// Checks that every box viewers may be sent to still answers on its file port: every
/// <c>BoxCheckInterval</c> a <c>HEAD</c> of its file URL's root (any HTTP answer counts; nothing is
/// read), at most <see cref="MaxInFlight"/> at a time per box. Two checks in a row that get no
/// answer within <c>BoxCheckTimeout</c> take the box out of redirects (<see cref="BoxPool.IsAnswering"/>);
/// one answer brings it back. A frozen box (a hung device, SIGSTOP: sockets open, nothing
/// answered) is out within 2 × interval + timeout (0.95 s by default). Why HTTP rather than a
/// WebSocket ping on the session: it checks what viewers use (the file port, or the nginx in front
/// of it), a missed check does not end the session (so nothing is re-sent when the box comes back),
/// and .NET's client WebSocket has no ping it reports on (its keep-alive timeout only aborts).
/// </summary>
internal sealed partial class BoxChecker : BackgroundService
{
    private const int MaxInFlight = 3;

    private readonly BoxPool _pool;
    private readonly TimeProvider _time;
    private readonly ILogger<BoxChecker> _logger;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _timeout;
    private readonly HttpClient _http;
    private readonly ConcurrentDictionary<string, int> _inFlight = new(StringComparer.Ordinal);

    public BoxChecker(BoxPool pool, IOptions<PublisherOptions> options, TimeProvider time, ILogger<BoxChecker> logger)
    {
        _pool = pool;
        _time = time;
        _logger = logger;
        _interval = options.Value.BoxCheckInterval;
        _timeout = options.Value.BoxCheckTimeout;
        _http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            ConnectTimeout = _timeout,
            // Kept-alive connections make a check one small request; a frozen box gets no new ones beyond these.
            MaxConnectionsPerServer = MaxInFlight,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            // Liveness only: no byte of the answer is used, so whose certificate answers does not matter here
            // (viewers check the box's certificate themselves).
            SslOptions = { RemoteCertificateValidationCallback = static (_, _, _, _) => true },
        })
        { Timeout = Timeout.InfiniteTimeSpan };
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                foreach (var session in _pool.OpenSessions)
                {
                    if (session.HttpUrl is not { } url || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                        continue;
                    if (_inFlight.AddOrUpdate(session.Id, 1, (_, n) => n + 1) <= MaxInFlight)
                        _ = CheckAsync(session.Id, uri, stoppingToken);
                    else
                        _inFlight.AddOrUpdate(session.Id, 0, (_, n) => n - 1);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task CheckAsync(string boxId, Uri url, CancellationToken stoppingToken)
    {
        bool answered;
        try
        {
            using var timeout = new CancellationTokenSource(_timeout, _time);
            using var both = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
            using var request = new HttpRequestMessage(HttpMethod.Head, url);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, both.Token).ConfigureAwait(false);
            answered = true;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            if (stoppingToken.IsCancellationRequested)
                return;
            answered = false;
        }
        finally
        {
            if (_inFlight.AddOrUpdate(boxId, 0, (_, n) => n - 1) == 0)
                _inFlight.TryRemove(new KeyValuePair<string, int>(boxId, 0));
        }

        switch (_pool.RecordCheck(boxId, answered))
        {
            case true:
                Log.AnswersAgain(_logger, boxId);
                break;
            case false:
                Log.StoppedAnswering(_logger, boxId, url.Authority);
                break;
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Box {BoxId} did not answer two checks of its file port {Authority}: no viewer is sent to it until it answers")]
        public static partial void StoppedAnswering(ILogger logger, string boxId, string authority);

        [LoggerMessage(Level = LogLevel.Information, Message = "Box {BoxId} answers its file port again: viewers may be sent to it")]
        public static partial void AnswersAgain(ILogger logger, string boxId);
    }
}
