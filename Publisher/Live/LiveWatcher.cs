using System.Threading.Channels;
using Dandelion.Publisher.Boxes;
using Dandelion.Publisher.Configuration;
using Dandelion.Publisher.Placement;

namespace Dandelion.Publisher.Live;

/// <summary>
/// Watches <c>Publisher:LiveDirectory</c> for playlists. When ffmpeg writes a new version of
/// one, every segment it lists is published (TTL: the larger of <c>DefaultTtl</c> and three
/// windows), the new ones are waited for until placed on a box (at most
/// <c>LiveSegmentWait</c>), and only then is that version served at <c>/live/{stream}.m3u8</c>,
/// its segment URIs rewritten to <c>/media/…</c>. While a served playlist lists a segment,
/// the segment stays wanted, so lost or expiring copies are made again.
/// FileSystemWatcher only wakes the loop; a scan every half second catches what inotify
/// drops (its queue can overflow, and renames across directories are not reported).
/// </summary>
internal sealed partial class LiveWatcher(IOptions<PublisherOptions> options, PublishRoots roots, Placer placer, LivePlaylists playlists,
    TimeProvider time, ILogger<LiveWatcher> logger) : BackgroundService
{
    private static readonly TimeSpan ScanPeriod = TimeSpan.FromMilliseconds(500);
    /// <summary>A variant playlist's stream → the master playlist's that lists it: its segments count for the master's stream.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _masterOf = new(StringComparer.Ordinal);
    private const int MaxVariants = 4096;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.LiveDirectory is not { Length: > 0 } configured)
            return;
        var directory = Path.GetFullPath(configured);
        Directory.CreateDirectory(directory);

        using var watcher = new FileSystemWatcher(directory)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        watcher.Created += (_, _) => _wake.Writer.TryWrite(true);
        watcher.Changed += (_, _) => _wake.Writer.TryWrite(true);
        watcher.Renamed += (_, _) => _wake.Writer.TryWrite(true);
        watcher.Error += (_, e) =>
        {
            Log.WatcherError(logger, e.GetException().Message);
            _wake.Writer.TryWrite(true);
        };
        try
        {
            watcher.EnableRaisingEvents = true;
        }
        catch (IOException ex)
        {
            // inotify's per-user limit reached: the half-second scan still finds every change.
            Log.WatcherError(logger, ex.Message);
        }
        Log.Watching(logger, directory);

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await ScanAsync(directory, stoppingToken).ConfigureAwait(false);
                using var period = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                period.CancelAfter(ScanPeriod);
                try
                {
                    await _wake.Reader.ReadAsync(period.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    internal async Task ScanAsync(string directory, CancellationToken cancellationToken)
    {
        var found = Directory.EnumerateFiles(directory, "*.m3u8", SearchOption.AllDirectories).ToList();
        await Task.WhenAll(found.Select(path => ProcessAsync(directory, path, cancellationToken))).ConfigureAwait(false);

        var now = time.GetUtcNow();
        foreach (var served in playlists.All)
        {
            if (!File.Exists(served.DiskPath))
            {
                playlists.Remove(served.Stream);
                continue;
            }
            // Still listed: still wanted, however long ago the playlist last changed.
            foreach (var segment in served.Segments)
            {
                lock (segment.Gate)
                    segment.Want(served.TtlSeconds, served.WantedFor, now);
            }
        }
    }

    private async Task ProcessAsync(string directory, string path, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return;
        }
        var relative = Path.GetRelativePath(directory, path).Replace(Path.DirectorySeparatorChar, '/');
        var stream = relative[..^".m3u8".Length];
        if (!HlsPlaylist.LooksLikePlaylist(text) || playlists.Get(stream)?.SourceText == text)
            return;

        var window = HlsPlaylist.Window(text);
        var ttl = TimeSpan.FromSeconds(Math.Ceiling(Math.Max(options.Value.DefaultTtl.TotalSeconds, 3 * window.TotalSeconds)));
        var wantedFor = TimeSpan.FromSeconds(Math.Max(1, 2 * window.TotalSeconds));
        var playlistDirectory = Path.GetDirectoryName(path)!;

        var mapped = new Dictionary<string, PublishedFile>(StringComparer.Ordinal);
        // Adaptive bitrate: each rendition's segments are placed like any, and counted for the master's stream.
        var countedFor = _masterOf.GetValueOrDefault(stream, stream);
        foreach (var uri in HlsPlaylist.Uris(text).Distinct())
        {
            if (!HlsPlaylist.IsLocal(uri))
                continue;
            if (HlsPlaylist.IsPlaylist(uri))
            {
                var variant = Path.GetRelativePath(directory, Path.GetFullPath(Path.Combine(playlistDirectory, Uri.UnescapeDataString(uri.Split('?', '#')[0]))))
                    .Replace(Path.DirectorySeparatorChar, '/');
                if (_masterOf.Count >= MaxVariants)
                    _masterOf.Clear();
                if (variant.EndsWith(".m3u8", StringComparison.Ordinal) && !variant.StartsWith("../", StringComparison.Ordinal))
                    _masterOf[variant[..^".m3u8".Length]] = countedFor;
                continue;
            }
            var segmentPath = Path.GetFullPath(Path.Combine(playlistDirectory, Uri.UnescapeDataString(uri.Split('?', '#')[0])));
            if (!roots.TryFromDisk(segmentPath, out var target, out var reason))
            {
                Log.SegmentSkipped(logger, stream, uri, reason);
                continue;
            }
            try
            {
                mapped[uri] = await placer.SubmitAsync(target, ttl, wantedFor, countedFor, cancellationToken).ConfigureAwait(false);
            }
            catch (PublishRefusedException ex)
            {
                // Deleted between the playlist and now, or the queue is full: the origin serves it if it can.
                Log.SegmentSkipped(logger, stream, uri, ex.Message);
            }
        }

        // Served only once its segments are on boxes, or after a bounded wait (the origin covers the rest).
        var waits = mapped.Values.Select(f =>
        {
            lock (f.Gate)
                return f.Settled.Task;
        });
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(options.Value.LiveSegmentWait);
            try
            {
                await Task.WhenAll(waits).WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Log.ServedBeforePlaced(logger, stream, options.Value.LiveSegmentWait.TotalSeconds);
            }
        }

        // Each segment's SHA-256 just above it, so a viewer can check what a box sent (docs/PROTOCOL.md).
        var tagged = HlsPlaylist.TagUriLines(text, uri => mapped.TryGetValue(uri, out var file) ? SegmentHash.Tag(file) : null);
        var rewritten = HlsPlaylist.Rewrite(tagged, uri => mapped.TryGetValue(uri, out var file) ? "/media" + BoxUrls.Escape(file.FilePath) : null);
        playlists.Publish(new ServedPlaylist(stream, path, text, rewritten, mapped.Values.ToList(), (long)ttl.TotalSeconds, wantedFor));
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Watching {Directory} for HLS playlists")]
        public static partial void Watching(ILogger logger, string directory);

        [LoggerMessage(Level = LogLevel.Warning, Message = "The live directory watcher failed ({Reason}); scanning continues")]
        public static partial void WatcherError(ILogger logger, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Stream {Stream}: segment {Uri} not published: {Reason}")]
        public static partial void SegmentSkipped(ILogger logger, string stream, string uri, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Stream {Stream}: serving a playlist whose new segments were not placed within {Seconds} s; the origin serves them")]
        public static partial void ServedBeforePlaced(ILogger logger, string stream, double seconds);
    }
}
