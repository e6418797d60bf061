using Dandelion.Box.Diagnostics;
using Dandelion.Box.Traffic;

namespace Dandelion.Box.Entrances;

/// <summary>
/// Fills the EXCHANGEs of one entrance link with the oldest traffic entries that fit the
/// largest message that entrance accepts (its <c>MAX_MESSAGE_BYTES</c>, or
/// <see cref="DefaultLimit"/> when it does not say): batches are sized by bytes, and a backlog
/// goes over as many heartbeats as it takes. Should the entrance (or something between) still
/// refuse one as too big, the size is searched for: each refusal bounds it from above, each
/// accepted batch from below, the next batch is sized between the two. An entry whose message
/// would be too big even alone is dropped with a log line and a counter: no entry can hold the
/// box's traffic, or the box, up.
/// </summary>
internal sealed partial class TrafficBatcher(string url, TrafficOutbox outbox, BoxMetrics metrics, ILogger logger)
{
    /// <summary>What an entrance that does not say is sent at most: our entrance's default limit.</summary>
    public const int DefaultLimit = 64 * 1024;

    /// <summary>Entries looked at per EXCHANGE at most: bounds the work of one heartbeat.</summary>
    private const int MaxEntries = 10_000;

    /// <summary>The smallest an entry can be (<c>{"ID":1,"URL":"","STATUS":200,"SIZE":0},</c>), to know how many may fit.</summary>
    private const int MinEntryBytes = 40;

    private int _limit = DefaultLimit;
    // Smallest message refused as too big (past _limit while none was), largest one accepted.
    private int _refused = int.MaxValue;
    private int _accepted;
    private ExchangeBatch _last = new([], null, 0);

    /// <summary>The entrance took a message: the last batch, or one of <paramref name="bytes"/>; its reply said <paramref name="maxMessageBytes"/> (null: nothing).</summary>
    public void Accepted(long? maxMessageBytes, int? bytes = null)
    {
        var limit = (int)Math.Min(maxMessageBytes ?? DefaultLimit, int.MaxValue);
        if (limit != _limit)
            (_limit, _refused, _accepted) = (limit, int.MaxValue, 0);
        var taken = bytes ?? _last.Bytes;
        if (taken < _refused)
            _accepted = Math.Max(_accepted, taken);
    }

    /// <summary>The entrance refused the last message as too big: no message that large is sent again.</summary>
    public void Refused()
    {
        _refused = Math.Min(_refused, _last.Bytes);
        if (_accepted >= _refused)
            _accepted = 0;
        Log.Refused(logger, url, _last.Count, _last.Bytes);
    }

    /// <summary>The message with as many entries as fit, and the id of the last one it carries.</summary>
    /// <param name="render">The whole message, stamped and serialized, for a list of entries.</param>
    /// <param name="entryBytes">What one entry adds to the message.</param>
    public ExchangeBatch Fill(Func<IReadOnlyList<TrafficEntry>, byte[]> render, Func<TrafficEntry, int> entryBytes)
    {
        var empty = render([]);
        var ceiling = Math.Min(_limit, _refused - 1);
        // After a refusal: between the largest accepted and the smallest refused size, and once they are close, the accepted one.
        var budget = _refused == int.MaxValue ? ceiling
            : _refused - _accepted <= _refused / 16 ? _accepted
            : Math.Min((_accepted + _refused) / 2, ceiling);
        var batch = new List<TrafficEntry>();
        var size = empty.Length;
        foreach (var entry in outbox.Peek(Math.Clamp((ceiling - empty.Length) / MinEntryBytes, 1, MaxEntries)))
        {
            var bytes = entryBytes(entry);
            // Measured whole before an entry is given up: the sizes may be a byte or two over.
            if (batch.Count == 0 && empty.Length + bytes > ceiling && render([entry]).Length is var alone && alone > ceiling)
            {
                Drop(entry.Id, alone);
                continue;
            }
            // The first entry goes even past the budget (up to the ceiling): it is how the limit is learnt.
            if (batch.Count > 0 && size + bytes > budget)
                break;
            batch.Add(entry);
            size += bytes;
        }
        if (batch.Count == 0)
            return _last = new ExchangeBatch(empty, null, 0);

        var message = render(batch);
        // The sizes above add up to the message; should they not, the batch shrinks until it fits.
        while (message.Length > ceiling && batch.Count > 1)
        {
            batch.RemoveRange(batch.Count / 2, batch.Count - batch.Count / 2);
            message = render(batch);
        }
        return _last = new ExchangeBatch(message, batch[^1].Id, batch.Count);
    }

    private void Drop(long id, int bytes)
    {
        // Only ever the oldest entry: everything before it went or was dropped already.
        outbox.Acknowledge(id);
        metrics.TrafficDropped(1);
        Log.Dropped(logger, id, bytes, url, Math.Min(_limit, _refused - 1));
    }

    private static partial class Log
    {
        [LoggerMessage(20, LogLevel.Warning, "Dropped traffic entry {Id}: an EXCHANGE with it alone would be {Bytes} bytes, and {Url} takes at most {Limit}")]
        public static partial void Dropped(ILogger logger, long id, int bytes, string url, int limit);

        [LoggerMessage(21, LogLevel.Warning, "Entrance {Url} refused an EXCHANGE of {Count} traffic entries ({Bytes} bytes) as too big: sending less")]
        public static partial void Refused(ILogger logger, string url, int count, int bytes);
    }
}
