using System.Net.WebSockets;
using System.Text.Json;
using Dandelion.Box.Diagnostics;
using Dandelion.Box.Files;
using Dandelion.Box.Node;
using Dandelion.Box.Traffic;
using Dandelion.Shared.Identity;
using Dandelion.Shared.Protocol;
using Dandelion.Shared.WebSockets;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Dandelion.Box.Entrances;

/// <summary>
/// The box's long-lived link to one entrance. Version 2: one WebSocket, an EXCHANGE every
/// heartbeat, each answered with a TRAFFIC_ACK, commands pushed at any time. An entrance
/// whose first reply has no VERSION is an original one: then every heartbeat is a version 1
/// connect-send-close. Connecting is retried with jittered exponential backoff (Polly), so a
/// box that starts first, or outlives an entrance restart, waits and reconnects.
/// </summary>
internal sealed partial class EntranceSession
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private readonly string _url;
    private readonly EntranceDirectory _directory;
    private readonly ExchangeBuilder _exchanges;
    private readonly TrafficOutbox _outbox;
    private readonly BoxNode _node;
    private readonly FileStore _store;
    private readonly BoxOptions _options;
    private readonly TimeProvider _time;
    private readonly BoxMetrics _metrics;
    private readonly ILogger<EntranceSession> _logger;
    private readonly ResiliencePipeline _connect;
    private long _lastReplyTicks;

    public EntranceSession(string url, EntranceDirectory directory, ExchangeBuilder exchanges, TrafficOutbox outbox, BoxNode node,
        FileStore store, IOptions<BoxOptions> options, TimeProvider time, BoxMetrics metrics, ILogger<EntranceSession> logger)
    {
        _url = url;
        _directory = directory;
        _exchanges = exchanges;
        _outbox = outbox;
        _node = node;
        _store = store;
        _options = options.Value;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _connect = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<WebSocketException>()
                    .Handle<IOException>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutException>()
                    .Handle<EntranceRefusedException>(),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(Math.Min(1, _options.ReconnectMaxDelay.TotalSeconds)),
                MaxDelay = _options.ReconnectMaxDelay,
                MaxRetryAttempts = int.MaxValue,
                OnRetry = args =>
                {
                    Log.Retrying(_logger, _url, args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception?.Message ?? "");
                    return default;
                },
            })
            .Build();
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var version1 = false;
            while (!cancellationToken.IsCancellationRequested)
            {
                if (version1)
                {
                    version1 = await HeartbeatVersion1Async(cancellationToken);
                    if (version1)
                        await Task.Delay(_options.Heartbeat, _time, cancellationToken);
                    continue;
                }

                var (socket, reply) = await _connect.ExecuteAsync(ConnectAsync, cancellationToken);
                if (reply.Version is null)
                {
                    // An original entrance: it answered our first EXCHANGE in version 1 and closes.
                    Log.Version1(_logger, _url);
                    socket.Dispose();
                    version1 = true;
                    await Task.Delay(_options.Heartbeat, _time, cancellationToken);
                    continue;
                }
                await RunVersion2Async(socket, cancellationToken);
                // Never a tight loop, even against an entrance that accepts and drops at once.
                await Task.Delay(TimeSpan.FromMilliseconds(500 + Random.Shared.Next(1000)), _time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (EntranceDroppedException ex)
        {
            Log.Dropped(_logger, _url, ex.Message);
        }
    }

    /// <summary>Connects and makes the first EXCHANGE; the pipeline retries on the faults it expects.</summary>
    private async ValueTask<(ClientWebSocket, ExchangeReply)> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_directory.ShouldDrop(_url))
            throw new EntranceDroppedException(_url);
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ConnectTimeout);
            try
            {
                await socket.ConnectAsync(new Uri(_url), timeout.Token);
                var traffic = _outbox.Peek(_options.TrafficBatch);
                await socket.SendAsync(ProtocolJson.Serialize(_exchanges.Version2(1, traffic), ProtocolJsonContext.Default.ExchangeRequest),
                    WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
                var reply = await ReceiveReplyAsync(socket, timeout.Token)
                    ?? throw new EntranceRefusedException("closed without answering EXCHANGE.");
                Accept(reply);
                return (socket, reply);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"no answer within {ConnectTimeout.TotalSeconds} s.");
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task RunVersion2Async(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        Log.Connected(_logger, _url);
        _metrics.EntranceSession(1);
        var sender = new WebSocketSender(socket);
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sending = sender.RunAsync(session.Token);
        var heartbeating = HeartbeatAsync(socket, sender, session.Token);
        try
        {
            await ReceiveAsync(socket, session.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or EntranceRefusedException
            || ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Log.Lost(_logger, _url, ex.Message);
        }
        finally
        {
            session.Cancel();
            sender.Complete();
            await sending;
            await heartbeating;
            socket.Abort();
            socket.Dispose();
            _metrics.EntranceSession(-1);
        }
    }

    private async Task HeartbeatAsync(ClientWebSocket socket, WebSocketSender sender, CancellationToken cancellationToken)
    {
        var silence = 3 * _options.Heartbeat + TimeSpan.FromSeconds(10);
        using var timer = new PeriodicTimer(_options.Heartbeat, _time);
        long sequence = 1;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (_time.GetUtcNow().UtcTicks - Interlocked.Read(ref _lastReplyTicks) > silence.Ticks)
                {
                    Log.Silent(_logger, _url, silence);
                    socket.Abort();
                    return;
                }
                var exchange = _exchanges.Version2(++sequence, _outbox.Peek(_options.TrafficBatch));
                if (!sender.TrySendText(ProtocolJson.Serialize(exchange, ProtocolJsonContext.Default.ExchangeRequest)))
                {
                    socket.Abort();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var message = await WebSocketMessageReader.ReceiveAsync(socket, _options.MaxTextMessageBytes, cancellationToken);
            if (message.Outcome == ReceiveOutcome.Closed)
            {
                Log.Closed(_logger, _url, socket.CloseStatus?.ToString() ?? "none", socket.CloseStatusDescription ?? "");
                return;
            }
            if (message.Outcome == ReceiveOutcome.TooBig)
                throw new EntranceRefusedException($"a message over {_options.MaxTextMessageBytes} bytes.");
            if (message.Type != WebSocketMessageType.Text)
                continue;
            if (!ProtocolJson.TryParse(message.Span, ProtocolJsonContext.Default.MessageHead, out var head, out var error))
                throw new EntranceRefusedException(error.Message);
            ThrowIfError(message.Span);

            switch (head.Command)
            {
                case Commands.Exchange:
                    if (ProtocolJson.TryParse(message.Span, ProtocolJsonContext.Default.ExchangeReply, out var reply, out error))
                        Accept(reply);
                    else
                        throw new EntranceRefusedException(error.Message);
                    break;
                case Commands.Drain or Commands.Resume or Commands.Purge:
                    if (ProtocolJson.TryParse(message.Span, ProtocolJsonContext.Default.BoxCommand, out var command, out _))
                        Obey(command);
                    break;
                default:
                    Log.UnknownCommand(_logger, _url, head.Command ?? "");
                    break;
            }
        }
    }

    /// <summary>One version 1 heartbeat: connect, EXCHANGE, reply, close. False when it failed: try version 2 again.</summary>
    private async Task<bool> HeartbeatVersion1Async(CancellationToken cancellationToken)
    {
        if (_directory.ShouldDrop(_url))
            throw new EntranceDroppedException(_url);
        using var socket = new ClientWebSocket();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await socket.ConnectAsync(new Uri(_url), timeout.Token);
            var traffic = _outbox.Peek(_options.TrafficBatch);
            await socket.SendAsync(ProtocolJson.Serialize(_exchanges.Version1(traffic), ProtocolJsonContext.Default.ExchangeRequest),
                WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
            var reply = await ReceiveReplyAsync(socket, timeout.Token);
            if (reply?.Message != "ACCEPTED")
                throw new EntranceRefusedException("no ACCEPTED in the version 1 reply.");
            Accept(reply);
            // Version 1 has no acknowledgement: an accepted EXCHANGE counted what it carried.
            if (traffic.Count > 0)
                _outbox.Acknowledge(traffic[^1].Id);
            if (socket.State == WebSocketState.Open)
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or EntranceRefusedException
            || ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Log.Lost(_logger, _url, ex.Message);
            return false;
        }
    }

    private async Task<ExchangeReply?> ReceiveReplyAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        using var message = await WebSocketMessageReader.ReceiveAsync(socket, _options.MaxTextMessageBytes, cancellationToken);
        if (message.Outcome != ReceiveOutcome.Message || message.Type != WebSocketMessageType.Text)
            return null;
        ThrowIfError(message.Span);
        return ProtocolJson.TryParse(message.Span, ProtocolJsonContext.Default.ExchangeReply, out var reply, out var error)
            ? reply
            : throw new EntranceRefusedException(error.Message);
    }

    private void Accept(ExchangeReply reply)
    {
        Interlocked.Exchange(ref _lastReplyTicks, _time.GetUtcNow().UtcTicks);
        _directory.MarkReached(_url);
        _directory.Advertise(reply.EntranceUrls);
        if (_node.SetGrantKey(reply.GrantKey))
            Log.GrantKey(_logger, _url);
        if (reply.TrafficAck is { } ack)
            _outbox.Acknowledge(ack);
    }

    private void Obey(BoxCommand command)
    {
        Log.Command(_logger, _url, command.Command ?? "");
        switch (command.Command)
        {
            case Commands.Drain:
                _node.Draining = true;
                break;
            case Commands.Resume:
                _node.Draining = false;
                break;
            case Commands.Purge when command.Publisher is null:
                _store.Purge(null);
                break;
            case Commands.Purge when NodeIdentity.IsValid(command.Publisher, NodeRole.Publisher):
                _store.Purge(command.Publisher);
                break;
        }
    }

    private static void ThrowIfError(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("ERROR"u8))
            {
                reader.Read();
                throw new EntranceRefusedException("the entrance refused: " + (reader.TokenType == JsonTokenType.String ? reader.GetString() : "?"));
            }
            reader.Read();
            reader.Skip();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Session with entrance {Url} open")]
        public static partial void Connected(ILogger logger, string url);

        [LoggerMessage(2, LogLevel.Warning, "Entrance {Url}: attempt {Attempt} in {Delay}: {Reason}")]
        public static partial void Retrying(ILogger logger, string url, int attempt, TimeSpan delay, string reason);

        [LoggerMessage(3, LogLevel.Warning, "Session with entrance {Url} lost: {Reason}")]
        public static partial void Lost(ILogger logger, string url, string reason);

        [LoggerMessage(4, LogLevel.Information, "Entrance {Url} closed the session ({Status} {Description})")]
        public static partial void Closed(ILogger logger, string url, string status, string description);

        [LoggerMessage(5, LogLevel.Warning, "Entrance {Url} silent for {Silence}: reconnecting")]
        public static partial void Silent(ILogger logger, string url, TimeSpan silence);

        [LoggerMessage(6, LogLevel.Information, "Entrance {Url} speaks version 1 only: one connection per heartbeat")]
        public static partial void Version1(ILogger logger, string url);

        [LoggerMessage(7, LogLevel.Information, "Entrance {Url}: {Reason}")]
        public static partial void Dropped(ILogger logger, string url, string reason);

        [LoggerMessage(8, LogLevel.Information, "Entrance {Url} sent {Command}")]
        public static partial void Command(ILogger logger, string url, string command);

        [LoggerMessage(9, LogLevel.Information, "Entrance {Url} gave a new grant key: version 2 publishers now need a grant")]
        public static partial void GrantKey(ILogger logger, string url);

        [LoggerMessage(10, LogLevel.Debug, "Entrance {Url} sent an unknown command {Command}")]
        public static partial void UnknownCommand(ILogger logger, string url, string command);
    }
}
