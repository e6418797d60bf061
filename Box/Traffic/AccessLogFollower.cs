using System.Buffers;
using System.Text;
using Dandelion.Box.Diagnostics;
using Dandelion.Box.Node;
using Microsoft.Extensions.Options;

namespace Dandelion.Box.Traffic;

/// <summary>
/// Follows the access log by path, as <c>tail -F</c> does, and never deletes or truncates it.
/// It reads whole lines from where the outbox says it stopped. When the path leads to a new
/// file (nginx rotation: rename, then <c>nginx -s reopen</c>), it reads the old file to its
/// end first, then starts the new one at 0; after a restart it looks for the old file beside
/// the log by its inode. A file that got shorter (copytruncate) is read again from 0.
/// </summary>
internal sealed partial class AccessLogFollower : IDisposable
{
    private const int ChunkBytes = 64 * 1024;
    private readonly string _path;
    private readonly bool _boxServes;
    private readonly TrafficOutbox _outbox;
    private readonly BandwidthMeter _meter;
    private readonly BoxMetrics _metrics;
    private readonly ILogger<AccessLogFollower> _logger;
    private FileStream? _stream;
    private ulong _inode;

    public AccessLogFollower(IOptions<BoxOptions> options, TrafficOutbox outbox, BandwidthMeter meter, BoxMetrics metrics, ILogger<AccessLogFollower> logger)
    {
        _path = options.Value.AccessLogPath;
        _boxServes = options.Value.WriteAccessLog;
        _outbox = outbox;
        _meter = meter;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>Reads what is new; returns the number of traffic entries added.</summary>
    public int Poll()
    {
        var added = 0;
        if (_stream is null && !Open(ref added))
            return added;

        added += ReadAvailable(_stream!, _inode);

        // Rotated away (or removed): finish what the old file holds, then let the next poll open the new one.
        var current = FileIdentity.Of(_path);
        if (current != _inode)
        {
            added += ReadAvailable(_stream!, _inode);
            Log.Rotated(_logger, _path);
            Close();
            if (current is not null)
                added += Poll();
        }
        return added;
    }

    public void Dispose() => Close();

    private bool Open(ref int added)
    {
        var inode = FileIdentity.Of(_path);
        if (inode is null)
            return false;

        var saved = _outbox.Position;
        if (saved.Inode != 0 && saved.Inode != inode)
            added += FinishRotatedFile(saved);

        FileStream stream;
        try
        {
            stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        var opened = FileIdentity.Of(stream.SafeFileHandle) ?? 0;
        _stream = stream;
        _inode = opened;
        if (_outbox.Position.Inode != opened)
            _outbox.Append([], new LogPosition(opened, 0));
        return true;
    }

    /// <summary>After a restart the log had been rotated: the old file, if it is still beside the log, is read to its end.</summary>
    private int FinishRotatedFile(LogPosition saved)
    {
        var directory = Path.GetDirectoryName(_path)!;
        var name = Path.GetFileName(_path);
        foreach (var candidate in Directory.EnumerateFiles(directory, name + "*"))
        {
            if (candidate == _path || FileIdentity.Of(candidate) != saved.Inode)
                continue;
            using var old = new FileStream(candidate, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
            Log.FinishingRotated(_logger, candidate);
            return ReadAvailable(old, saved.Inode);
        }
        return 0;
    }

    private int ReadAvailable(FileStream stream, ulong inode)
    {
        var offset = _outbox.Position.Inode == inode ? _outbox.Position.Offset : 0;
        if (stream.Length < offset)
        {
            Log.Truncated(_logger, _path);
            offset = 0;
        }
        var added = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            while (true)
            {
                stream.Position = offset;
                var read = stream.Read(buffer, 0, ChunkBytes);
                if (read == 0)
                    break;
                var span = buffer.AsSpan(0, read);
                var lastNewline = span.LastIndexOf((byte)'\n');
                int consumed;
                if (lastNewline < 0)
                {
                    // A partial line waits for its end, unless it alone fills the buffer: then it is no log line.
                    if (read < ChunkBytes)
                        break;
                    consumed = read;
                    span = [];
                }
                else
                {
                    consumed = lastNewline + 1;
                    span = span[..consumed];
                }

                var requests = new List<ServedRequest>();
                foreach (var range in span.Split((byte)'\n'))
                {
                    var line = span[range];
                    if (line.IsEmpty)
                        continue;
                    if (!AccessLogParser.TryParse(Encoding.UTF8.GetString(line), out var request))
                    {
                        Log.Unreadable(_logger, line.Length);
                        continue;
                    }
                    // Nginx in front sends the bytes: its log is the only place they show. When the
                    // box serves, its response body counts them as they are sent (Serving/CountingBody).
                    if (!_boxServes)
                        _meter.Add(request!.Size);
                    _metrics.Served(request!.Size);
                    // As the original: only what was actually served counts.
                    if (request.Status < 400)
                        requests.Add(request);
                }
                offset += consumed;
                _outbox.Append(requests, new LogPosition(inode, offset));
                added += requests.Count;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return added;
    }

    private void Close()
    {
        _stream?.Dispose();
        _stream = null;
        _inode = 0;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Access log {Path} was rotated; reading the new file from its start")]
        public static partial void Rotated(ILogger logger, string path);

        [LoggerMessage(2, LogLevel.Information, "Reading the rest of the rotated access log {Path}")]
        public static partial void FinishingRotated(ILogger logger, string path);

        [LoggerMessage(3, LogLevel.Warning, "Access log {Path} got shorter (truncated); reading it from its start")]
        public static partial void Truncated(ILogger logger, string path);

        [LoggerMessage(4, LogLevel.Debug, "Skipped an access-log line of {Length} bytes in no known format")]
        public static partial void Unreadable(ILogger logger, int length);
    }
}
