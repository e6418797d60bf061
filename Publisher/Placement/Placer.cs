using System.Collections.Concurrent;
using System.Diagnostics;
using Dandelion.Publisher.Boxes;
using Dandelion.Publisher.Configuration;
using Dandelion.Publisher.Telemetry;
using Microsoft.Extensions.Options;

namespace Dandelion.Publisher.Placement;

/// <summary>
/// Keeps every published file on <c>Replication</c> boxes. A file is hashed once when it is
/// published; then each missing copy becomes a <see cref="SendJob"/> on a chosen box's
/// outbox (<see cref="BoxChooser"/>). A copy counts once the box answered STORED with the
/// file's SHA256 (or, for a version 1 box, once the frame went out whole), and counts toward
/// Replication only on a box viewers can be sent to (one with a file URL; an original box has
/// none, and gets a copy only when too few of those are open). A refusal, a
/// timeout or a dropped connection sends the file to another box; with no box available
/// the file waits, visible as <c>queued</c>, and is retried every second until its TTL
/// runs out. Copies on a lost box are forgotten and made again elsewhere while the file
/// is still wanted.
/// </summary>
internal sealed partial class Placer : IFilePublisher
{
    /// <summary>A box that failed a file is not given that file again for this long.</summary>
    private static readonly TimeSpan FailedBoxPause = TimeSpan.FromSeconds(5);
    /// <summary>…or this long when it refused it for a reason that will not change (too big, TTL over its maximum).</summary>
    private static readonly TimeSpan RefusedBoxPause = TimeSpan.FromMinutes(10);
    /// <summary>Failed and expired files stay visible this long, then are forgotten.</summary>
    private static readonly TimeSpan ForgetAfter = TimeSpan.FromMinutes(10);
    /// <summary>A holder whose copy ends within this much of a still-wanted file's need gets a fresh copy (at most a minute, at most a third of the TTL).</summary>
    private static readonly TimeSpan MaxRenewMargin = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan UnsaidDefaultTtl = TimeSpan.FromSeconds(60);
    /// <summary>A copy about to expire is no longer offered to viewers.</summary>
    private static readonly TimeSpan ViewerMargin = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, PublishedFile> _files = new(StringComparer.Ordinal);
    private readonly PublisherOptions _options;
    private readonly PublishRoots _roots;
    private readonly BoxPool _pool;
    private readonly PlacementMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<Placer> _logger;

    public Placer(IOptions<PublisherOptions> options, PublishRoots roots, BoxPool pool, PlacementMetrics metrics, TimeProvider time, ILogger<Placer> logger)
    {
        _options = options.Value;
        _roots = roots;
        _pool = pool;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _pool.SessionOpened += _ => PumpAll();
        _pool.BoxLost += OnBoxLost;
        _pool.FilesLost += OnFilesLost;
        _metrics.Observe(() => _pool.OpenSessions.Count(), Waiting);
    }

    public int Count => _files.Count;

    public async Task<FileStatus> PublishAsync(string path, TimeSpan ttl, CancellationToken cancellationToken)
    {
        if (!_roots.TryFromDisk(path, out var target, out var reason))
            throw new PublishRefusedException(PublishRefusal.NotPublishable, $"'{path}' cannot be published: {reason}");
        var file = await SubmitAsync(target, ttl, ttl, stream: null, cancellationToken).ConfigureAwait(false);
        return Snapshot(file);
    }

    public FileStatus? GetStatus(string filePath) =>
        _files.TryGetValue(Normalize(filePath), out var file) ? Snapshot(file) : null;

    public async Task<FileStatus> WaitAsync(string filePath, CancellationToken cancellationToken)
    {
        if (!_files.TryGetValue(Normalize(filePath), out var file))
            throw new PublishRefusedException(PublishRefusal.NotPublishable, $"'{filePath}' was never published.");
        while (true)
        {
            Task settled;
            lock (file.Gate)
                settled = file.Settled.Task;
            await settled.WaitAsync(cancellationToken).ConfigureAwait(false);
            var status = Snapshot(file);
            if (status.State is not (FileState.Queued or FileState.Sending))
                return status;
        }
    }

    public IEnumerable<FileStatus> All() => _files.Values.Select(Snapshot);

    public PublishedFile? Find(string filePath) => _files.GetValueOrDefault(Normalize(filePath));

    /// <summary>
    /// Takes a publishable file: hashes it unless this exact content is known, keeps it on
    /// boxes with this TTL for at least <paramref name="wantedFor"/>, and starts sending.
    /// </summary>
    public async Task<PublishedFile> SubmitAsync(PublishTarget target, TimeSpan ttl, TimeSpan wantedFor, string? stream, CancellationToken cancellationToken)
    {
        if (ttl < TimeSpan.Zero)
            throw new PublishRefusedException(PublishRefusal.NotPublishable, "a TTL cannot be negative.");
        var ttlSeconds = (long)Math.Ceiling(ttl.TotalSeconds);
        var info = new FileInfo(target.DiskPath);
        if (!info.Exists)
            throw new PublishRefusedException(PublishRefusal.NotPublishable, $"'{target.FilePath}' does not exist.");

        var now = _time.GetUtcNow();
        if (!_files.TryGetValue(target.FilePath, out var file))
        {
            if (_files.Count >= _options.QueueLimit && Waiting() >= _options.QueueLimit)
                throw new PublishRefusedException(PublishRefusal.QueueFull, $"{_options.QueueLimit} files are already waiting for a box (Publisher:QueueLimit).");
            file = _files.GetOrAdd(target.FilePath, path => new PublishedFile(path, target.DiskPath, now));
        }

        bool known;
        lock (file.Gate)
            known = file.HasContent(info.Length, info.LastWriteTimeUtc);
        if (!known)
        {
            (long Size, string Sha256) content;
            try
            {
                content = await FileHashing.HashAsync(target.DiskPath, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                lock (file.Gate)
                {
                    if (!file.HasAnyContent)
                        _files.TryRemove(new KeyValuePair<string, PublishedFile>(target.FilePath, file));
                }
                throw new PublishRefusedException(PublishRefusal.NotPublishable, $"'{target.FilePath}' could not be read: {ex.Message}");
            }
            lock (file.Gate)
                file.SetContent(content.Size, content.Sha256, info.LastWriteTimeUtc, now);
        }
        lock (file.Gate)
        {
            file.Want(ttlSeconds, wantedFor, now);
            if (stream is not null)
                file.Stream = stream;
        }
        Pump(file);
        return file;
    }

    /// <summary>Copies of the file that viewers can be sent to now: box open, copy not about to expire, URL known.</summary>
    public IReadOnlyList<Holder> ViewableHolders(PublishedFile file)
    {
        var soon = _time.GetUtcNow() + ViewerMargin;
        lock (file.Gate)
            return file.Holders.Values.Where(h => h.Url is not null && PublishedFile.Holds(h, soon) && _pool.IsAnswering(h.BoxId)).ToList();
    }

    /// <summary>Once a second: retry waiting files, renew copies still wanted, forget old ones.</summary>
    public void Sweep()
    {
        var now = _time.GetUtcNow();
        foreach (var file in _files.Values)
        {
            FileState state;
            DateTimeOffset since;
            lock (file.Gate)
            {
                if (!file.HasAnyContent)
                    continue;
                state = file.StateAt(now);
                since = file.WantedUntil == DateTimeOffset.MaxValue ? file.SubmittedAt : file.WantedUntil;
                if (state is FileState.Failed or FileState.Expired)
                    file.Settled.TrySetResult();
            }
            if (state is FileState.Failed or FileState.Expired)
            {
                if (now - since > ForgetAfter)
                    _files.TryRemove(new KeyValuePair<string, PublishedFile>(file.FilePath, file));
                continue;
            }
            Pump(file);
        }
    }

    private void PumpAll()
    {
        foreach (var file in _files.Values)
            Pump(file);
    }

    private void Pump(PublishedFile file)
    {
        var now = _time.GetUtcNow();
        var starved = false;
        lock (file.Gate)
        {
            if (file.FailedReason is not null || !file.HasAnyContent || now >= file.WantedUntil)
                return;
            var margin = TimeSpan.FromSeconds(Math.Min(MaxRenewMargin.TotalSeconds, file.TtlSeconds / 3.0));
            var kept = file.Holders.Values
                .Where(h => _pool.IsOpen(h.BoxId) && (h.ExpiresAt >= file.WantedUntil || h.ExpiresAt > now + margin))
                .ToList();
            // Only copies viewers can be sent to (a file URL) count toward Replication.
            var good = kept.Count(h => h.Url is not null);
            var servingInFlight = file.InFlight.Count(j => CanServe(j.BoxId));
            var need = _options.Replication - good - servingInFlight;
            if (need <= 0)
                return;
            if (!File.Exists(file.DiskPath))
            {
                // Deleted (ffmpeg's delete_segments does that): no new copy can be made.
                if (kept.Count == 0 && file.InFlight.Count == 0 && !file.EverPlaced)
                    file.Fail("the file was deleted before any box stored it.");
                return;
            }

            var busy = kept.Select(h => h.BoxId).ToHashSet(StringComparer.Ordinal);
            busy.UnionWith(file.InFlight.Select(j => j.BoxId));
            var candidates = _pool.OpenSessions
                .Where(s => !busy.Contains(s.Id) && !(s.MaxFileSize < file.Size) &&
                            !(file.FailedBoxes.TryGetValue(s.Id, out var skipUntil) && now < skipUntil))
                .ToList();
            var version = file.ContentVersion;
            var room = _options.Replication - (kept.Count - good) - (file.InFlight.Count - servingInFlight);
            foreach (var boxId in CopyTargets.Choose(candidates, need, room, Random.Shared))
            {
                var span = PublisherTraces.StartDetached("placement", ActivityKind.Client);
                span?.SetTag("dandelion.file", file.FilePath).SetTag("dandelion.box", boxId).SetTag("dandelion.file.size", file.Size);
                var job = new SendJob(file.FilePath, file.DiskPath, file.Size, file.Sha256, file.TtlSeconds, (j, outcome) =>
                {
                    span?.SetTag("dandelion.outcome", outcome.Word).Dispose();
                    Finished(file, version, j, outcome);
                });
                if (_pool.Session(boxId)?.TryEnqueue(job) == true)
                    file.InFlight.Add(job);
                else
                    span?.SetTag("dandelion.outcome", "not-queued").Dispose();
            }
            starved = good == 0 && file.InFlight.Count(j => CanServe(j.BoxId)) == 0;
        }
        if (starved)
            _pool.RequestMore();
    }

    private bool CanServe(string boxId) => _pool.Session(boxId)?.HttpUrl is not null;

    private void Finished(PublishedFile file, int version, SendJob job, AttemptOutcome outcome)
    {
        var now = _time.GetUtcNow();
        lock (file.Gate)
        {
            file.InFlight.Remove(job);
            if (version != file.ContentVersion)
                return;
            file.Record(new AttemptStatus(job.BoxId, now, outcome.Word, outcome.Reason));
            if (outcome.Stored)
            {
                var expires = now + KeptFor(job, outcome);
                file.AddHolder(new Holder(job.BoxId, outcome.Url, outcome.Result == AttemptResult.Stored, now, expires));
            }
            else
            {
                file.FailedBoxes[job.BoxId] = now + (outcome.Lasting ? RefusedBoxPause : FailedBoxPause);
            }
        }
        _metrics.Attempt(outcome, job.Size);
        if (!outcome.Stored)
            Log.AttemptFailed(_logger, job.FilePath, job.BoxId, outcome.Word, outcome.Reason);
        Pump(file);
    }

    /// <summary>
    /// How long a copy lasts: what the box said in STORED; else the TTL sent; else (TTL 0, the
    /// box's default, from a box that does not say) the original's default of 60 s, so the copy
    /// is renewed early rather than trusted for ever.
    /// </summary>
    private static TimeSpan KeptFor(SendJob job, AttemptOutcome outcome) =>
        outcome.KeptFor ?? (job.TtlSeconds > 0 ? TimeSpan.FromSeconds(job.TtlSeconds) : UnsaidDefaultTtl);

    private void OnBoxLost(string boxId)
    {
        foreach (var file in _files.Values)
            ForgetHolder(file, boxId);
    }

    /// <summary>The box no longer holds these (purged, expired, lost from its disk): no viewer goes there for them; copies are made again while wanted.</summary>
    private void OnFilesLost(string boxId, IReadOnlyList<string> filePaths)
    {
        foreach (var path in filePaths)
        {
            if (_files.TryGetValue(Normalize(path), out var file))
                ForgetHolder(file, boxId);
        }
    }

    private void ForgetHolder(PublishedFile file, string boxId)
    {
        bool lost;
        lock (file.Gate)
            lost = file.Holders.Remove(boxId);
        if (lost)
            Pump(file);
    }

    private int Waiting()
    {
        var now = _time.GetUtcNow();
        return _files.Values.Count(f =>
        {
            lock (f.Gate)
                return f.StateAt(now) is FileState.Queued or FileState.Sending;
        });
    }

    private FileStatus Snapshot(PublishedFile file)
    {
        lock (file.Gate)
            return file.Snapshot(_time.GetUtcNow(), _pool.Problem);
    }

    private static string Normalize(string filePath) => filePath.StartsWith('/') ? filePath : "/" + filePath;

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "{FilePath} was not placed on {BoxId} ({Outcome}): {Reason}")]
        public static partial void AttemptFailed(ILogger logger, string filePath, string boxId, string outcome, string? reason);
    }
}
