using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Dandelion.Shared.Protocol;
using Dandelion.Shared.WebSockets;

namespace Dandelion.Publisher.Boxes;

/// <summary>
/// One open PUBLISH channel to a box. The socket has one writer, the send loop, which
/// drains a bounded outbox of <see cref="SendJob"/>s and streams each file from disk as
/// one binary message (header, then 64 KiB chunks); and one reader, the receive loop,
/// which matches version 2 <c>STORED</c>/<c>REFUSED</c> answers to sent files by
/// <c>FILE_PATH</c>, oldest first. A version 1 box never answers: a file sent whole is
/// "sent, unconfirmed". Any timeout or socket fault ends the session, and every file
/// still queued or unanswered is handed back as dropped so it goes to another box.
/// </summary>
internal sealed partial class BoxSession
{
    private const int ChunkBytes = 64 * 1024;
    private const int OutboxCapacity = 64;
    private const int MaxTextMessage = 64 * 1024;
    private const long Version1MaxFileSize = 4L * 1024 * 1024 - FileFrame.DefaultMaxHeaderBytes;

    private readonly WebSocket _socket;
    private readonly Channel<SendJob> _outbox = Channel.CreateBounded<SendJob>(new BoundedChannelOptions(OutboxCapacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });
    private readonly LinkedList<SendJob> _awaiting = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _sendTimeout;
    private readonly ILogger _logger;
    private readonly string _publisherId;
    private readonly CancellationTokenSource _stop = new();
    private SendJob? _current;
    private long _pendingBytes;
    private long _placedBytes;
    private volatile bool _closed;
    private string _endReason = "the session was stopped.";

    public BoxSession(WebSocket socket, RankedBox box, PublishReply reply, string publisherId, TimeProvider time, TimeSpan sendTimeout, ILogger logger)
    {
        _socket = socket;
        _publisherId = publisherId;
        _time = time;
        _sendTimeout = sendTimeout;
        _logger = logger;
        Box = box;
        Version = reply.SpokenVersion;
        // The original box (aiohttp) drops the connection on a message over 4 MiB, header included.
        MaxFileSize = reply.MaxFileSize ?? (Version < ProtocolVersion.V2 ? Version1MaxFileSize : null);
        HttpUrl = reply.HttpUrl is { Length: > 0 } url ? url : box.HttpUrl;
        OpenedAt = time.GetUtcNow();
    }

    public string Id => Box.Id;
    /// <summary>What SEARCH said about the box when the session opened (score, place).</summary>
    public RankedBox Box { get; set; }
    public int Version { get; }
    public long? MaxFileSize { get; }
    /// <summary>Base URL viewers fetch this box's files from; null for a version 1 box nobody told us about.</summary>
    public string? HttpUrl { get; }
    public DateTimeOffset OpenedAt { get; }
    public bool IsOpen => !_closed && _socket.State == WebSocketState.Open;
    /// <summary>Bytes queued or on the wire to this box, not yet answered.</summary>
    public long PendingBytes => Interlocked.Read(ref _pendingBytes);
    /// <summary>Bytes this box stored for us during this session.</summary>
    public long PlacedBytes => Interlocked.Read(ref _placedBytes);

    /// <summary>Queues a file for this box; false when the box cannot take it now.</summary>
    public bool TryEnqueue(SendJob job)
    {
        if (!IsOpen || job.Size > MaxFileSize)
            return false;
        job.BoxId = Id;
        Interlocked.Add(ref _pendingBytes, job.Size);
        if (_outbox.Writer.TryWrite(job))
            return true;
        Interlocked.Add(ref _pendingBytes, -job.Size);
        return false;
    }

    /// <summary>Ends the session; <see cref="RunAsync"/> returns soon after.</summary>
    public void Stop(string reason)
    {
        _endReason = reason;
        _stop.Cancel();
    }

    /// <summary>Runs the send loop, the receive loop and the answer deadline watch until one ends; returns why.</summary>
    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        var loops = new[] { SendLoopAsync(linked.Token), ReceiveLoopAsync(linked.Token), WatchDeadlinesAsync(linked.Token) };
        try
        {
            await Task.WhenAny(loops).ConfigureAwait(false);
            _closed = true;
            _outbox.Writer.TryComplete();
            await linked.CancelAsync().ConfigureAwait(false);
            _socket.Abort();
            // The loops catch only the faults they expect; anything else surfaces here.
            await Task.WhenAll(loops).ConfigureAwait(false);
        }
        finally
        {
            _closed = true;
            _outbox.Writer.TryComplete();
            _socket.Abort();
            _socket.Dispose();

            // Whatever was not answered goes back to placement, to be sent elsewhere.
            var dropped = new AttemptOutcome(AttemptResult.Dropped, $"the connection to {Id} ended: {_endReason}");
            if (_current is { } current)
                Complete(current, dropped);
            while (_outbox.Reader.TryRead(out var queued))
                Complete(queued, dropped);
            foreach (var waiting in TakeAwaiting(_ => true))
                Complete(waiting, dropped);
        }
        return _endReason;
    }

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            await foreach (var job in _outbox.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                _current = job;
                job.Deadline = _time.GetUtcNow() + _sendTimeout;
                if (Version >= ProtocolVersion.V2)
                {
                    lock (_awaiting)
                        _awaiting.AddLast(job);
                }

                FileStream file;
                try
                {
                    file = new FileStream(job.DiskPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
                        bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    Forget(job);
                    Complete(job, new AttemptOutcome(AttemptResult.Dropped, $"the file could not be read: {ex.GetType().Name}."));
                    _current = null;
                    continue;
                }

                bool whole;
                await using (file.ConfigureAwait(false))
                {
                    using var timeout = new CancellationTokenSource(_sendTimeout, _time);
                    using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
                    try
                    {
                        whole = await SendFrameAsync(job, file, buffer, both.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                    {
                        // A cancelled send aborts the socket: the session is over.
                        _endReason = $"sending {job.FilePath} took longer than {_sendTimeout.TotalSeconds:0.#} s.";
                        Forget(job);
                        Complete(job, new AttemptOutcome(AttemptResult.Timeout, _endReason));
                        return;
                    }
                }

                if (!whole)
                {
                    // The file shrank while it was sent; the frame went out short. A version 2
                    // box refuses it (size-mismatch) and says so; a version 1 box cannot.
                    if (Version < ProtocolVersion.V2)
                        Complete(job, new AttemptOutcome(AttemptResult.Dropped, "the file changed while it was sent."));
                }
                else if (Version < ProtocolVersion.V2)
                {
                    Complete(job, new AttemptOutcome(AttemptResult.SentUnconfirmed, "a version 1 box does not confirm files.", UrlFor(job, null)));
                }
                _current = null;
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            if (!cancellationToken.IsCancellationRequested)
                _endReason = $"sending failed: {ex.Message}";
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Header, then the file in chunks, as one binary message. False when the file ran short.</summary>
    private async Task<bool> SendFrameAsync(SendJob job, FileStream file, byte[] buffer, CancellationToken cancellationToken)
    {
        var header = new FileHeader
        {
            FilePath = job.FilePath,
            Size = Version >= ProtocolVersion.V2 ? job.Size : null,
            Sha256 = Version >= ProtocolVersion.V2 ? job.Sha256 : null,
            // TTL goes out as a JSON number, as the original writes it (FileHeader.Ttl is text).
            Extra = new() { ["TTL"] = JsonElement.Parse(job.TtlSeconds.ToString(CultureInfo.InvariantCulture)) },
        };
        var prefix = FileFrame.EncodeHeader(header);
        await _socket.SendAsync(prefix, WebSocketMessageType.Binary, endOfMessage: job.Size == 0, cancellationToken).ConfigureAwait(false);

        var remaining = job.Size;
        while (remaining > 0)
        {
            var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                await _socket.SendAsync(ReadOnlyMemory<byte>.Empty, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);
                return false;
            }
            remaining -= read;
            await _socket.SendAsync(buffer.AsMemory(0, read), WebSocketMessageType.Binary, endOfMessage: remaining == 0, cancellationToken).ConfigureAwait(false);
        }
        return true;
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                using var message = await WebSocketMessageReader.ReceiveAsync(_socket, MaxTextMessage, cancellationToken).ConfigureAwait(false);
                if (message.Outcome == ReceiveOutcome.Closed)
                {
                    _endReason = $"the box closed the connection ({_socket.CloseStatus}).";
                    return;
                }
                if (message.Outcome == ReceiveOutcome.TooBig || message.Type != WebSocketMessageType.Text)
                    continue;
                if (!ProtocolJson.TryParse(message.Span, ProtocolJsonContext.Default.FileResult, out var result, out _))
                    continue;
                if (result.Command is Commands.Stored or Commands.Refused)
                {
                    Answer(result);
                }
                else if (result.Error is { Length: > 0 } error)
                {
                    _endReason = $"the box sent an error: {result.Code} {error}";
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            if (!cancellationToken.IsCancellationRequested)
                _endReason = $"receiving failed: {ex.Message}";
        }
    }

    private void Answer(FileResult result)
    {
        SendJob? job = null;
        lock (_awaiting)
        {
            for (var node = _awaiting.First; node is not null; node = node.Next)
            {
                if (node.Value.FilePath == result.FilePath)
                {
                    job = node.Value;
                    _awaiting.Remove(node);
                    break;
                }
            }
        }
        if (job is null)
        {
            Log.UnmatchedAnswer(_logger, Id, result.Command, result.FilePath);
            return;
        }

        if (result.Command == Commands.Stored && string.Equals(result.Sha256, job.Sha256, StringComparison.OrdinalIgnoreCase))
            Complete(job, new AttemptOutcome(AttemptResult.Stored, null, UrlFor(job, result.Url)));
        else if (result.Command == Commands.Stored)
            Complete(job, new AttemptOutcome(AttemptResult.Refused, $"the box stored SHA256 {result.Sha256}, not {job.Sha256}."));
        else
            Complete(job, new AttemptOutcome(AttemptResult.Refused, $"{result.Code}: {result.Error}", Code: result.Code));
    }

    private async Task WatchDeadlinesAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var now = _time.GetUtcNow();
                var overdue = TakeAwaiting(j => j.Deadline < now && !ReferenceEquals(j, _current));
                if (overdue.Count == 0)
                    continue;
                foreach (var job in overdue)
                    Complete(job, new AttemptOutcome(AttemptResult.Timeout, $"{Id} did not answer within {_sendTimeout.TotalSeconds:0.#} s."));
                // A box that stops answering gets no more files on this session.
                _endReason = "the box stopped answering.";
                return;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private List<SendJob> TakeAwaiting(Func<SendJob, bool> which)
    {
        var taken = new List<SendJob>();
        lock (_awaiting)
        {
            for (var node = _awaiting.First; node is not null;)
            {
                var next = node.Next;
                if (which(node.Value))
                {
                    taken.Add(node.Value);
                    _awaiting.Remove(node);
                }
                node = next;
            }
        }
        return taken;
    }

    private void Forget(SendJob job)
    {
        lock (_awaiting)
            _awaiting.Remove(job);
    }

    private void Complete(SendJob job, AttemptOutcome outcome)
    {
        if (job.IsFinished)
            return;
        Interlocked.Add(ref _pendingBytes, -job.Size);
        if (outcome.Stored)
            Interlocked.Add(ref _placedBytes, job.Size);
        job.Finish(outcome);
    }

    /// <summary>The box's own URL for the file when it gave one, else built from its HTTP base URL.</summary>
    private string? UrlFor(SendJob job, string? stated) =>
        stated is { Length: > 0 } ? stated : BoxUrls.For(HttpUrl, _publisherId, job.FilePath);

    internal static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Box {BoxId} answered {Command} for {FilePath}, which is not waiting for an answer")]
        public static partial void UnmatchedAnswer(ILogger logger, string boxId, string? command, string? filePath);
    }
}
