using System.Globalization;
using System.Text;
using System.Text.Json;
using Dandelion.Box.Diagnostics;
using Dandelion.Box.Files;
using Dandelion.Box.Node;
using Dandelion.Shared.Protocol;
using Microsoft.Extensions.Options;

namespace Dandelion.Box.Traffic;

/// <summary>
/// Traffic entries not yet acknowledged by any entrance, oldest first, with the id counter
/// and how far the access log has been read. All three live in one append-only journal
/// (<c>{data}/traffic.journal</c>):
/// <list type="bullet">
/// <item><c>E {json}</c>: an entry; it counts only once a later <c>P</c> line closes its batch,</item>
/// <item><c>P {inode} {offset} {next id}</c>: the log was read up to here and ids given up to here,</item>
/// <item><c>A {id}</c>: entries up to this id are gone (acknowledged, or dropped when full).</item>
/// </list>
/// A batch and its position go in one write, so after a crash the lines behind a torn batch
/// are read again and given the same ids again: none lost, none counted twice.
/// A URL is kept without its query string (docs/PROTOCOL.md, Traffic URLs): viewers choose
/// it, it says nothing about what was served, and it must not make an entry too big to send.
/// </summary>
internal sealed partial class TrafficOutbox : IDisposable
{
    private const int CompactSlack = 10_000;
    private readonly string _path;
    private readonly int _limit;
    private readonly ILogger<TrafficOutbox> _logger;
    private readonly BoxMetrics _metrics;
    private readonly object _gate = new();
    private readonly LinkedList<TrafficEntry> _entries = new();
    private FileStream? _journal;
    private long _records;

    public TrafficOutbox(IOptions<BoxOptions> options, ILogger<TrafficOutbox> logger, BoxMetrics metrics)
    {
        _path = Path.Combine(options.Value.DataDirectory, "traffic.journal");
        _limit = options.Value.OutboxLimit;
        _logger = logger;
        _metrics = metrics;
        NextId = 1;
        Load();
    }

    /// <summary>The id the next entry gets.</summary>
    public long NextId { get; private set; }

    public LogPosition Position { get; private set; }

    public int Count
    {
        get
        {
            lock (_gate)
                return _entries.Count;
        }
    }

    /// <summary>Gives the requests ids, keeps them, and records that the log was read up to <paramref name="position"/>.</summary>
    public void Append(IReadOnlyList<ServedRequest> requests, LogPosition position)
    {
        lock (_gate)
        {
            var batch = new StringBuilder();
            var added = new List<TrafficEntry>(requests.Count);
            var next = NextId;
            foreach (var request in requests)
            {
                var entry = new TrafficEntry
                {
                    Id = next++,
                    Url = WithoutQuery(request.Url),
                    Status = request.Status,
                    Size = request.Size,
                    DateTime = request.DateTime,
                };
                added.Add(entry);
                batch.Append("E ").Append(JsonSerializer.Serialize(entry, ProtocolJsonContext.Default.TrafficEntry)).Append('\n');
            }
            batch.Append(CultureInfo.InvariantCulture, $"P {position.Inode} {position.Offset} {next}\n");
            Write(batch.ToString(), added.Count + 1);

            NextId = next;
            Position = position;
            foreach (var entry in added)
                _entries.AddLast(entry);

            var over = _entries.Count - _limit;
            if (over > 0)
            {
                var last = 0L;
                for (var i = 0; i < over; i++)
                {
                    last = _entries.First!.Value.Id;
                    _entries.RemoveFirst();
                }
                Write($"A {last.ToString(CultureInfo.InvariantCulture)}\n", 1);
                _metrics.TrafficDropped(over);
                Log.Dropped(_logger, over, last, _limit);
            }
            CompactIfLarge();
        }
    }

    /// <summary>Up to <paramref name="max"/> of the oldest entries not yet acknowledged.</summary>
    public List<TrafficEntry> Peek(int max)
    {
        lock (_gate)
            return _entries.Take(max).ToList();
    }

    /// <summary>Forgets every entry with an id up to <paramref name="id"/>: an entrance has counted them.</summary>
    public void Acknowledge(long id)
    {
        lock (_gate)
        {
            if (_entries.First is null || _entries.First.Value.Id > id)
                return;
            while (_entries.First is { } first && first.Value.Id <= id)
                _entries.RemoveFirst();
            Write($"A {id.ToString(CultureInfo.InvariantCulture)}\n", 1);
            CompactIfLarge();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _journal?.Dispose();
            _journal = null;
        }
    }

    private void Load()
    {
        if (File.Exists(_path))
        {
            var pending = new List<TrafficEntry>();
            foreach (var line in File.ReadLines(_path, Encoding.UTF8))
            {
                _records++;
                if (line.StartsWith("E ", StringComparison.Ordinal))
                {
                    try
                    {
                        // Written by an older box, the URL may still carry its query string.
                        if (JsonSerializer.Deserialize(line.AsSpan(2), ProtocolJsonContext.Default.TrafficEntry) is { } entry)
                            pending.Add(entry with { Url = WithoutQuery(entry.Url) });
                    }
                    catch (JsonException)
                    {
                        // A torn line: its batch has no P line after it either, so it is read again from the log.
                    }
                }
                else if (line.StartsWith("P ", StringComparison.Ordinal))
                {
                    var parts = line.Split(' ');
                    if (parts.Length == 4
                        && ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var inode)
                        && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
                        && long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var next))
                    {
                        foreach (var entry in pending)
                            _entries.AddLast(entry);
                        Position = new LogPosition(inode, offset);
                        NextId = next;
                    }
                    pending.Clear();
                }
                else if (line.StartsWith("A ", StringComparison.Ordinal)
                    && long.TryParse(line.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var acked))
                {
                    while (_entries.First is { } first && first.Value.Id <= acked)
                        _entries.RemoveFirst();
                }
            }
        }
        Compact();
        Log.Loaded(_logger, _entries.Count, NextId);
    }

    /// <summary>The path of a request target: everything before the first <c>?</c>.</summary>
    public static string? WithoutQuery(string? url)
    {
        var at = url?.IndexOf('?') ?? -1;
        return at >= 0 ? url![..at] : url;
    }

    private void Write(string records, int count)
    {
        if (_journal is null)
            Compact();
        _journal!.Write(Encoding.UTF8.GetBytes(records));
        _journal.Flush();
        _records += count;
    }

    private void CompactIfLarge()
    {
        if (_records > 2L * _entries.Count + CompactSlack)
            Compact();
    }

    private void Compact()
    {
        _journal?.Dispose();
        _journal = JournalFile.Rewrite(_path, writer =>
        {
            foreach (var entry in _entries)
                writer.Write("E " + JsonSerializer.Serialize(entry, ProtocolJsonContext.Default.TrafficEntry) + "\n");
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"P {Position.Inode} {Position.Offset} {NextId}\n"));
        });
        _records = _entries.Count + 1;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Traffic outbox: {Count} entries waiting, next id {NextId}")]
        public static partial void Loaded(ILogger logger, int count, long nextId);

        [LoggerMessage(2, LogLevel.Warning, "Traffic outbox full ({Limit} entries): dropped the {Count} oldest, up to id {LastId}; no entrance acknowledged them")]
        public static partial void Dropped(ILogger logger, int count, long lastId, int limit);
    }
}
