using System.Net.WebSockets;
using Dandelion.Shared.Connections;
using Dandelion.Shared.Protocol;

namespace Dandelion.Publisher.Boxes;

/// <summary>
/// One open PUBLISH channel to a box, over a <see cref="PeerConnection"/>: each file is queued
/// on its one send loop and streamed from disk as one binary message (<see cref="FrameWriter"/>),
/// and its receive loop matches version 2 <c>STORED</c>/<c>REFUSED</c> answers to sent files by
/// <c>FILE_PATH</c>, oldest first. A version 1 box never answers: a file sent whole is "sent,
/// unconfirmed". A version 2 box also says when files it held went (<c>REMOVED</c>). A send or an answer later than <c>SendTimeout</c>, or any socket fault, ends the
/// session, and every file still queued or unanswered is handed back as dropped so it goes to another box.
/// </summary>
internal sealed partial class BoxSession : IPeerHandler
{
    private const int MaxTextMessage = 64 * 1024;
    private const long Version1MaxFileSize = 4L * 1024 * 1024 - FileFrame.DefaultMaxHeaderBytes;

    private readonly PeerConnection _connection;
    private readonly SentJobs _jobs = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _sendTimeout;
    private readonly ILogger _logger;
    private readonly string _publisherId;
    private long _pendingBytes;
    private long _placedBytes;

    public BoxSession(WebSocket socket, RankedBox box, PublishReply reply, NodeStamp self, TimeProvider time, TimeSpan sendTimeout, ILogger logger)
    {
        _connection = new PeerConnection(socket, self, ConnectionLimits.Client(MaxTextMessage), box.Id, time, logger) { PeerVersion = reply.SpokenVersion };
        _publisherId = self.Id;
        _time = time;
        _sendTimeout = sendTimeout;
        _logger = logger;
        Box = box;
        // The original box (aiohttp) drops the connection on a message over 4 MiB, header included.
        MaxFileSize = reply.MaxFileSize ?? (Version < ProtocolVersion.V2 ? Version1MaxFileSize : null);
        HttpUrl = reply.HttpUrl is { Length: > 0 } url ? url : box.HttpUrl;
        OpenedAt = time.GetUtcNow();
    }

    public string Id => Box.Id;
    /// <summary>What SEARCH said about the box when the session opened (score, place).</summary>
    public RankedBox Box { get; set; }
    public int Version => _connection.PeerVersion;
    public long? MaxFileSize { get; }
    /// <summary>Base URL viewers fetch this box's files from; null for a version 1 box nobody told us about.</summary>
    public string? HttpUrl { get; }
    public DateTimeOffset OpenedAt { get; }
    public bool IsOpen => _connection.IsOpen;
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
        _jobs.Add(job);
        if (_connection.TrySendStreamed((socket, token) => SendAsync(job, socket, token)))
            return true;
        _jobs.Remove(job);
        Interlocked.Add(ref _pendingBytes, -job.Size);
        return false;
    }

    /// <summary>Ends the session; <see cref="RunAsync"/> returns soon after.</summary>
    public void Stop(string reason) => _connection.Close(WebSocketCloseStatus.NormalClosure, null, reason);

    /// <summary>Runs the connection, watching the answers' deadlines, until the session ends; returns why.</summary>
    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        await _connection.RunAsync(this, cancellationToken, every: TimeSpan.FromMilliseconds(500), tick: AnswersInTime).ConfigureAwait(false);
        return Reason;
    }

    /// <summary>Whatever was not answered goes back to placement, to be sent elsewhere.</summary>
    public ValueTask OnClosedAsync(PeerConnection connection)
    {
        var dropped = new AttemptOutcome(AttemptResult.Dropped, $"the connection to {Id} ended: {Reason}");
        foreach (var job in _jobs.TakeAll())
            Complete(job, dropped);
        return default;
    }

    private string Reason => _connection.EndReason ?? "the session was stopped.";

    /// <summary>The box says files it held for us are gone (<c>REMOVED</c>: expired, purged, lost from its disk).</summary>
    public event Action<IReadOnlyList<string>>? FilesRemoved;

    public ValueTask OnTextAsync(PeerConnection connection, ReadOnlyMemory<byte> utf8, CancellationToken cancellationToken)
    {
        if (!ProtocolJson.TryParse(utf8.Span, ProtocolJsonContext.Default.FileResult, out var result, out _))
            return default;
        if (result.Command == Commands.Removed)
        {
            if (ProtocolJson.TryParse(utf8.Span, ProtocolJsonContext.Default.FilesRemoved, out var removed, out _) && removed.FilePaths is { Count: > 0 } paths)
                FilesRemoved?.Invoke(paths);
        }
        else if (result.Command is Commands.Stored or Commands.Refused)
            Answer(result);
        else if (result.Error is { Length: > 0 } error)
            connection.Close(WebSocketCloseStatus.NormalClosure, null, $"the box sent an error: {result.Code} {error}");
        return default;
    }

    private async ValueTask SendAsync(SendJob job, WebSocket socket, CancellationToken cancellationToken)
    {
        // A stopped session sends nothing more: what is still queued goes back to placement.
        if (_connection.IsClosing || job.IsFinished)
            return;
        job.Deadline = _time.GetUtcNow() + _sendTimeout;
        FileStream file;
        try
        {
            file = new FileStream(job.DiskPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
                bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _jobs.Remove(job);
            Complete(job, new AttemptOutcome(AttemptResult.Dropped, $"the file could not be read: {ex.GetType().Name}."));
            return;
        }

        // A send stuck past the deadline is the answer watch's (AnswersInTime): it aborts the session, which cancels the send.
        bool whole;
        await using (file.ConfigureAwait(false))
            whole = await FrameWriter.SendAsync(socket, job, file, Version, cancellationToken).ConfigureAwait(false);

        // A version 2 box answers; one that got a short frame (the file shrank while it was sent) refuses it.
        if (Version >= ProtocolVersion.V2)
            return;
        _jobs.Remove(job);
        Complete(job, whole
            ? new AttemptOutcome(AttemptResult.SentUnconfirmed, "a version 1 box does not confirm files.", UrlFor(job, null))
            : new AttemptOutcome(AttemptResult.Dropped, "the file changed while it was sent."));
    }

    private void Answer(FileResult result)
    {
        var job = _jobs.TakeAnswered(result.FilePath);
        if (job is null)
        {
            Log.UnmatchedAnswer(_logger, Id, result.Command, result.FilePath);
            return;
        }

        if (result.Command == Commands.Stored && string.Equals(result.Sha256, job.Sha256, StringComparison.OrdinalIgnoreCase))
            Complete(job, new AttemptOutcome(AttemptResult.Stored, null, UrlFor(job, result.Url),
                KeptFor: result.Ttl is > 0 and <= FileFrame.LongestTtlSeconds ? TimeSpan.FromSeconds(result.Ttl.Value) : null));
        else if (result.Command == Commands.Stored)
            Complete(job, new AttemptOutcome(AttemptResult.Refused, $"the box stored SHA256 {result.Sha256}, not {job.Sha256}."));
        else
            Complete(job, new AttemptOutcome(AttemptResult.Refused, $"{result.Code}: {result.Error}", Code: result.Code));
    }

    /// <summary>
    /// False, and the session aborted, once a file is not sent and answered within <c>SendTimeout</c> of its send's start: a box
    /// that stops reading or answering gets no more files on this session.
    /// </summary>
    private bool AnswersInTime()
    {
        var overdue = _jobs.TakeOverdue(_time.GetUtcNow());
        foreach (var job in overdue)
            Complete(job, new AttemptOutcome(AttemptResult.Timeout, $"{Id} did not answer within {_sendTimeout.TotalSeconds:0.#} s."));
        if (overdue.Count == 0)
            return true;
        _connection.Abort("the box stopped answering.");
        return false;
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
