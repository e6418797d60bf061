namespace Dandelion.Box.Files;

/// <summary>
/// Every stored file (key <c>{publisher}/{path}</c>) with its size and expiry, kept in memory
/// and in an append-only journal so a restart knows what to delete and when:
/// <c>S {expires unix ms} {size} {key}</c> when a file is stored, <c>D {key}</c> when it goes.
/// Keys cannot hold a newline (StoragePath refuses control characters). A torn last line
/// after a crash is ignored. The journal is rewritten (temp + rename) when it has grown to
/// several times the live entries.
/// </summary>
internal sealed class ExpiryIndex : IDisposable
{
    private const int CompactSlack = 1000;
    private readonly string _path;
    private readonly object _gate = new();
    private readonly Dictionary<string, ExpiryEntry> _entries = new(StringComparer.Ordinal);
    private FileStream? _journal;
    private long _records;
    private long _bytes;

    public ExpiryIndex(string journalPath)
    {
        _path = journalPath;
    }

    public int Count
    {
        get
        {
            lock (_gate)
                return _entries.Count;
        }
    }

    /// <summary>Bytes held by the files the index knows.</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
                return _bytes;
        }
    }

    /// <summary>
    /// Reads the journal back; call once before anything else. Every file expires: an entry a
    /// box before TTL 0 meant "the default" kept for ever gets <paramref name="defaultTtl"/> from
    /// now, and none outlives <paramref name="maxTtl"/> from now (a box whose owner lowered
    /// <c>Box:MaxTtl</c>, or a journal from such an older box).
    /// </summary>
    public void Load(long nowMs, TimeSpan defaultTtl, TimeSpan maxTtl)
    {
        lock (_gate)
        {
            _entries.Clear();
            _bytes = 0;
            _records = 0;
            if (File.Exists(_path))
            {
                foreach (var line in File.ReadLines(_path, Encoding.UTF8))
                {
                    _records++;
                    Apply(line);
                }
            }
            var latest = nowMs + (long)maxTtl.TotalMilliseconds;
            foreach (var (key, entry) in _entries.ToList())
            {
                if (entry.ExpiresAtMs == ExpiryEntry.Never)
                    _entries[key] = entry with { ExpiresAtMs = Math.Min(nowMs + (long)defaultTtl.TotalMilliseconds, latest) };
                else if (entry.ExpiresAtMs > latest)
                    _entries[key] = entry with { ExpiresAtMs = latest };
            }
            // Start a fresh journal from what survived, which also drops any torn line.
            CompactLocked();
        }
    }

    public bool TryGet(string key, out ExpiryEntry entry)
    {
        lock (_gate)
            return _entries.TryGetValue(key, out entry);
    }

    public void Set(string key, ExpiryEntry entry)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var old))
                _bytes -= old.Size;
            _entries[key] = entry;
            _bytes += entry.Size;
            Append($"S {entry.ExpiresAtMs.ToString(CultureInfo.InvariantCulture)} {entry.Size.ToString(CultureInfo.InvariantCulture)} {key}\n");
        }
    }

    public bool Remove(string key)
    {
        lock (_gate)
        {
            if (!_entries.Remove(key, out var old))
                return false;
            _bytes -= old.Size;
            Append($"D {key}\n");
            return true;
        }
    }

    /// <summary>Keys whose expiry has passed at <paramref name="nowMs"/>, soonest first.</summary>
    public List<string> Expired(long nowMs)
    {
        lock (_gate)
        {
            return _entries.Where(e => e.Value.IsExpired(nowMs))
                .OrderBy(e => e.Value.ExpiresAtMs)
                .Select(e => e.Key)
                .ToList();
        }
    }

    public List<string> Keys(string? prefix = null)
    {
        lock (_gate)
            return _entries.Keys.Where(k => prefix is null || k.StartsWith(prefix, StringComparison.Ordinal)).ToList();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _journal?.Dispose();
            _journal = null;
        }
    }

    private void Apply(string line)
    {
        if (line.StartsWith("S ", StringComparison.Ordinal))
        {
            var parts = line.Split(' ', 4);
            if (parts.Length == 4 && parts[3].Length > 0
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
                && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                if (_entries.TryGetValue(parts[3], out var old))
                    _bytes -= old.Size;
                _entries[parts[3]] = new ExpiryEntry(expires, size);
                _bytes += size;
            }
        }
        else if (line.StartsWith("D ", StringComparison.Ordinal) && _entries.Remove(line[2..], out var gone))
        {
            _bytes -= gone.Size;
        }
    }

    private void Append(string record)
    {
        if (_journal is null)
            CompactLocked();
        _journal!.Write(Encoding.UTF8.GetBytes(record));
        // To the OS at once: a crashed process loses nothing; power loss may lose the tail,
        // and the start-up scan then deletes the files the journal no longer knows.
        _journal.Flush();
        _records++;
        if (_records > 4L * _entries.Count + CompactSlack)
            CompactLocked();
    }

    private void CompactLocked()
    {
        _journal?.Dispose();
        _journal = JournalFile.Rewrite(_path, writer =>
        {
            foreach (var (key, entry) in _entries)
                writer.Write($"S {entry.ExpiresAtMs.ToString(CultureInfo.InvariantCulture)} {entry.Size.ToString(CultureInfo.InvariantCulture)} {key}\n");
        });
        _records = _entries.Count;
    }
}
