using Dandelion.Box.Diagnostics;
using Dandelion.Box.Node;

namespace Dandelion.Box.Files;

/// <summary>
/// The files a box holds: where they go, what they may be, when they expire, how much
/// room they take. Files arrive in <c>{storage}/.incoming/</c> and are moved into place
/// only when whole and checked, so a viewer never sees half a file.
/// </summary>
internal sealed partial class FileStore : IDisposable
{
    public const string IncomingDirectory = ".incoming";
    private readonly BoxOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<FileStore> _logger;
    private readonly BoxMetrics _metrics;
    private readonly ExpiryIndex _index;
    private readonly StorageRoom _room;
    private readonly object _commitGate = new();

    public FileStore(IOptions<BoxOptions> options, TimeProvider time, ILogger<FileStore> logger, BoxMetrics metrics)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        Root = _options.StoragePath;
        Directory.CreateDirectory(Root);
        _room = new StorageRoom(Root, _options.StorageQuota, _options.KeepDiskFree);
        _index = new ExpiryIndex(Path.Combine(_options.DataDirectory, "expiry.journal"));
        _index.Load(NowMs, _options.DefaultTtl, _options.MaxTtl);
        Reconcile();
    }

    public string Root { get; }

    /// <summary>
    /// Files that went (expired, purged, or missing from the disk when asked for), as keys
    /// <c>{publisher_id}/{relative path}</c>: open publisher channels tell their publisher
    /// (<c>REMOVED</c>), so it sends no viewer here for them.
    /// </summary>
    public event Action<IReadOnlyList<string>>? Removed;

    public long Used => _index.Bytes;
    public int Count => _index.Count;

    /// <summary>
    /// Bytes the files may take now: the quota, or less when the volume is so full that more
    /// would eat into the share kept free for the household (<see cref="BoxOptions.KeepDiskFree"/>).
    /// </summary>
    public long Quota => _room.Quota(Used);

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Checks a header before any byte of the file is written.</summary>
    public bool TryAdmit(string publisherId, FileHeader header, out Admission? admission, out FileRefusal? refusal)
    {
        refusal = Admit(publisherId, header, out admission);
        return refusal is null;
    }

    private FileRefusal? Admit(string publisherId, FileHeader header, out Admission? admission)
    {
        admission = null;
        if (!StoragePath.TryResolve(Root, publisherId, header.FilePath, out var target, out var pathError))
            return FileRefusal.BadPath(pathError!);
        if (StoragePath.LeavesThroughLink(Root, target!))
            return FileRefusal.BadPath("a directory on the way is a link.");
        if (!TtlParser.TryParse(header.Ttl, _options.DefaultTtl, _options.MaxTtl, out var ttl, out var ttlError))
            return FileRefusal.BadTtl(ttlError!);
        if (header.Size < 0)
            return new FileRefusal(ProtocolErrorCodes.SizeMismatch, "SIZE is negative.");
        if (header.Size > _options.MaxFileSize)
            return FileRefusal.TooBig(_options.MaxFileSize);
        if (header.Size is { } size && _room.Check(Used - StoredSize(target!.Key) + Reserved, size, pendingBytes: size) is { } noRoom)
            return noRoom;
        if (header.Sha256 is { } sha && (sha.Length != 64 || !sha.All(char.IsAsciiHexDigit)))
            return new FileRefusal(ProtocolErrorCodes.BadFrame, "SHA256 is not 64 hex digits.");
        admission = new Admission(target!, ttl, header.Size, header.Sha256?.ToLowerInvariant());
        return null;
    }

    /// <summary>A new temporary file, never served, for one incoming frame.</summary>
    public FileStream CreateTemporary(out string path)
    {
        var incoming = Path.Combine(Root, IncomingDirectory);
        Directory.CreateDirectory(incoming);
        path = Path.Combine(incoming, Guid.NewGuid().ToString("N") + ".part");
        return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
    }

    /// <summary>
    /// Moves a whole, checked temporary file into place and records its expiry; on refusal
    /// the temporary file is deleted. Expired files are evicted before the quota says no.
    /// The room <paramref name="reservation"/> held becomes the stored file's, or is given back.
    /// </summary>
    public FileRefusal? Commit(Admission admission, UploadReservation reservation, string temporaryPath, long size)
    {
        var target = admission.Target;
        using var span = BoxTraces.Source.StartActivity("store file");
        span?.SetTag("dandelion.file", target.Key).SetTag("dandelion.file.size", size);
        try
        {
            lock (_commitGate)
            {
                if (RoomBeside(reservation, size) is not null)
                {
                    SweepExpired();
                    if (RoomBeside(reservation, size) is { } refusal)
                        return refusal;
                }

                try
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(target.FullPath)!);
                    // Checked again now that the directories exist: nothing may have become a link since.
                    if (StoragePath.LeavesThroughLink(Root, target))
                        return FileRefusal.BadPath("a directory on the way is a link.");
                    if (Directory.Exists(target.FullPath))
                        return FileRefusal.BadPath("a directory of that name exists.");
                    File.Move(temporaryPath, target.FullPath, overwrite: true);
                }
                catch (IOException ex)
                {
                    Log.PlaceFailed(_logger, target.Key, ex.Message);
                    return FileRefusal.BadPath("it conflicts with a stored file or directory.");
                }

                var expires = NowMs + (long)admission.Ttl.TotalMilliseconds;
                _index.Set(target.Key, new ExpiryEntry(expires, size));
                Release(reservation);
                return null;
            }
        }
        finally
        {
            StorageTree.DeleteQuietly(temporaryPath);
        }
    }

    /// <summary>The file to serve for a key, or false when it is missing or already expired.</summary>
    public bool TryGetServable(StorageTarget target, out ExpiryEntry entry)
    {
        if (!_index.TryGet(target.Key, out entry) || entry.IsExpired(NowMs))
            return false;
        if (File.Exists(target.FullPath))
            return true;
        // Deleted behind the box's back (a disk fault, a person): forget it, and say so.
        bool forgotten;
        lock (_commitGate)
            forgotten = _index.TryGet(target.Key, out var now) && now == entry && !File.Exists(target.FullPath) && _index.Remove(target.Key);
        if (forgotten)
            Removed?.Invoke([target.Key]);
        return false;
    }

    /// <summary>Deletes every file whose TTL has passed; returns how many went.</summary>
    public int SweepExpired()
    {
        var removed = new List<string>();
        foreach (var key in _index.Expired(NowMs))
        {
            // Re-read: the file may have been replaced with a new TTL since the list was made.
            lock (_commitGate)
            {
                if (_index.TryGet(key, out var entry) && entry.IsExpired(NowMs))
                {
                    DeleteStored(key);
                    removed.Add(key);
                }
            }
        }
        if (removed.Count > 0)
        {
            _metrics.FilesExpired(removed.Count);
            Log.Expired(_logger, removed.Count);
            Removed?.Invoke(removed);
        }
        return removed.Count;
    }

    /// <summary>Deletes every file, or one publisher's; returns how many went.</summary>
    public int Purge(string? publisherId)
    {
        List<string> removed;
        lock (_commitGate)
        {
            removed = _index.Keys(publisherId is null ? null : publisherId + "/");
            foreach (var key in removed)
                DeleteStored(key);
        }
        Log.Purged(_logger, publisherId ?? "every publisher", removed.Count);
        if (removed.Count > 0)
            Removed?.Invoke(removed);
        return removed.Count;
    }

    public void Dispose() => _index.Dispose();

    private void DeleteStored(string key)
    {
        var full = Path.Combine(Root, key);
        StorageTree.DeleteQuietly(full);
        _index.Remove(key);
        StorageTree.PruneEmptyDirectories(Root, Path.GetDirectoryName(full)!);
    }

    /// <summary>After a restart: the disk and the journal made to agree (<see cref="StorageTree.Reconcile"/>), then the sweep.</summary>
    private void Reconcile()
    {
        var unknown = StorageTree.Reconcile(Root, _index);
        SweepExpired();
        Log.Reconciled(_logger, _index.Count, unknown);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Storage checked: {Files} files kept, {Unknown} unknown files deleted")]
        public static partial void Reconciled(ILogger logger, int files, int unknown);

        [LoggerMessage(2, LogLevel.Debug, "{Count} expired files deleted")]
        public static partial void Expired(ILogger logger, int count);

        [LoggerMessage(3, LogLevel.Information, "Purged {Count} files of {Publisher}")]
        public static partial void Purged(ILogger logger, string publisher, int count);

        [LoggerMessage(4, LogLevel.Warning, "Could not place {Key}: {Reason}")]
        public static partial void PlaceFailed(ILogger logger, string key, string reason);
    }
}
