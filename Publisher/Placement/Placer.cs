using System.Collections.Concurrent;
using Dandelion.Publisher.Boxes;
using Dandelion.Publisher.Configuration;
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
internal sealed class Placer : IFilePublisher
{
    /// <summary>Failed and expired files stay visible this long, then are forgotten.</summary>
    private static readonly TimeSpan ForgetAfter = TimeSpan.FromMinutes(10);
    /// <summary>A copy about to expire is no longer offered to viewers.</summary>
    private static readonly TimeSpan ViewerMargin = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, PublishedFile> _files = new(StringComparer.Ordinal);
    private readonly PublisherOptions _options;
    private readonly PublishRoots _roots;
    private readonly BoxPool _pool;
    private readonly DistrustedBoxes _distrusted;
    private readonly CopySender _sender;
    private readonly TimeProvider _time;

    public Placer(IOptions<PublisherOptions> options, PublishRoots roots, BoxPool pool, DistrustedBoxes distrusted, PlacementMetrics metrics,
        TimeProvider time, ILogger<Placer> logger)
    {
        _distrusted = distrusted;
        _options = options.Value;
        _roots = roots;
        _pool = pool;
        _time = time;
        _sender = new CopySender(_options, pool, distrusted, metrics, time, logger);
        _pool.SessionOpened += _ => PumpAll();
        _pool.BoxLost += OnBoxLost;
        _pool.FilesLost += OnFilesLost;
        // A box caught altering a file holds nothing the publisher will send viewers to.
        _distrusted.Distrusted += OnBoxLost;
        metrics.Observe(() => _pool.OpenSessions.Count(), Waiting);
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

    /// <summary>The live stream a published file belongs to; null when it is none's or unknown.</summary>
    public string? StreamOf(string filePath)
    {
        if (Find(filePath) is not { } file)
            return null;
        lock (file.Gate)
            return file.Stream;
    }

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
        _sender.Pump(file);
        return file;
    }

    /// <summary>Copies of the file that viewers can be sent to now: box open, answering its checks and not distrusted, copy not about to expire, URL known.</summary>
    public IReadOnlyList<Holder> ViewableHolders(PublishedFile file)
    {
        var soon = _time.GetUtcNow() + ViewerMargin;
        lock (file.Gate)
            return file.Holders.Values.Where(h => h.Url is not null && PublishedFile.Holds(h, soon) && _pool.IsAnswering(h.BoxId) && !_distrusted.Contains(h.BoxId)).ToList();
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
            _sender.Pump(file);
        }
    }

    private void PumpAll()
    {
        foreach (var file in _files.Values)
            _sender.Pump(file);
    }

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
            _sender.Pump(file);
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
}
