namespace Dandelion.Entrance.Traffic;

/// <summary>
/// What boxes served of each publisher's files, counted by this entrance's EXCHANGEs since the
/// last flush (<see cref="ServedFlusher"/>). Only entries the heartbeat script counted now (its
/// flags) are added, so an entry a box sends again is never added twice. Held in memory for about
/// a second: many EXCHANGEs of the same segments become one Redis call per publisher. At most
/// <see cref="MaxEntries"/> files are held; past that a publisher's further files add to its
/// <c>""</c> entry, and a publisher new past that loses the count (logged by the flusher).
/// </summary>
internal sealed class ServedTally
{
    public const int MaxEntries = 10_000;

    private readonly Lock _gate = new();
    private Dictionary<ServedFile, Served> _counts = [];
    private long _dropped;

    public void Add(TrafficBatch batch, string? flags)
    {
        if (flags is null)
            return;
        lock (_gate)
        {
            for (var i = 0; i < batch.Served.Count && i < flags.Length; i++)
            {
                if (flags[i] != '1' || batch.Served[i] is not { } file)
                    continue;
                var size = i < batch.Numbered.Count ? batch.Numbered[i].Size : batch.Keyed[i - batch.Numbered.Count].Size;
                AddLocked(file, size, 1);
            }
        }
    }

    /// <summary>Puts back counts a flush could not store, so an outage delays them and loses none.</summary>
    public void Return(IEnumerable<KeyValuePair<ServedFile, Served>> counts)
    {
        lock (_gate)
        {
            foreach (var (file, served) in counts)
                AddLocked(file, served.Bytes, served.Requests);
        }
    }

    /// <summary>Everything held, and the requests dropped for lack of room since the last call; held counts start again from nothing.</summary>
    public (Dictionary<ServedFile, Served> Counts, long Dropped) Take()
    {
        lock (_gate)
        {
            var taken = _counts;
            _counts = [];
            var dropped = _dropped;
            _dropped = 0;
            return (taken, dropped);
        }
    }

    private void AddLocked(ServedFile file, long bytes, long requests)
    {
        if (!_counts.ContainsKey(file) && _counts.Count >= MaxEntries)
        {
            file = file with { Path = "" };
            if (!_counts.ContainsKey(file))
            {
                _dropped += requests;
                return;
            }
        }
        var was = _counts.GetValueOrDefault(file);
        _counts[file] = new Served(was.Bytes + bytes, was.Requests + requests);
    }
}
