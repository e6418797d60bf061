namespace Dandelion.Entrance.Search;

/// <summary>
/// One box's SEARCH marks since the last flush of <see cref="SearchRecorder"/>: how often it was
/// a candidate, how often chosen, and the latest mark. Closed once flushed: a SEARCH that finds
/// it closed starts the next tally, so no mark is counted twice or lost between the two.
/// </summary>
internal sealed class SearchTally
{
    private readonly Lock _gate = new();
    private long _seen;
    private long _chosen;
    private SearchMark? _last;
    private bool _closed;

    /// <summary><paramref name="Last"/> is null only when <paramref name="Seen"/> is 0 (a flush came between the tally's making and its first mark).</summary>
    public readonly record struct Totals(long Seen, long Chosen, SearchMark? Last);

    public bool TryAdd(SearchMark mark)
    {
        lock (_gate)
        {
            if (_closed)
                return false;
            _seen++;
            if (mark.Chosen)
                _chosen++;
            if (_last is null || mark.At >= _last.At)
                _last = mark;
            return true;
        }
    }

    /// <summary>The totals, once; later marks go to a new tally.</summary>
    public Totals Close()
    {
        lock (_gate)
        {
            _closed = true;
            return new Totals(_seen, _chosen, _last);
        }
    }
}
