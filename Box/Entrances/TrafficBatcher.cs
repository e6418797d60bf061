using Dandelion.Box.Diagnostics;
using Dandelion.Box.Traffic;
using Dandelion.Shared.Protocol;

namespace Dandelion.Box.Entrances;

/// <summary>
/// Fills the EXCHANGEs of one entrance link with the oldest traffic entries that fit the
/// largest message that entrance accepts (its <c>MAX_MESSAGE_BYTES</c>, or
/// <see cref="DefaultLimit"/> when it does not say): batches are sized by bytes, and a backlog
/// goes over as many heartbeats as it takes. Should the entrance still refuse one as too big,
/// the next batches carry half as many entries (growing back after each accepted one), and an
/// entry that cannot go even alone is dropped with a log line and a counter: no entry can hold
/// the box's traffic, or the box, up.
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
    private int _cap = MaxEntries;
    private ExchangeBatch _last = new([], null, 0);

    /// <summary>The entrance's <c>MAX_MESSAGE_BYTES</c> from a reply (null: it did not say), and that the last batch was taken.</summary>
    public void Accepted(long? maxMessageBytes)
    {
        _limit = (int)Math.Min(maxMessageBytes ?? DefaultLimit, int.MaxValue);
        _cap = (int)Math.Min(MaxEntries, _cap * 2L);
    }

    /// <summary>The entrance refused the last message as too big: halve the next batches, or drop the one entry that was too big alone.</summary>
    public void Refused()
    {
        var last = _last;
        if (last.Count == 1 && last.LastId is { } id)
            Drop(id, last.Bytes, "was refused as too big");
        _cap = Math.Max(1, last.Count / 2);
        Log.Splitting(logger, url, last.Count, last.Bytes);
    }

    /// <summary>The message with as many entries as fit, and the id of the last one it carries.</summary>
    /// <param name="render">The whole message, stamped and serialized, for a list of entries.</param>
    /// <param name="entryBytes">What one entry adds to the message.</param>
    public ExchangeBatch Fill(Func<IReadOnlyList<TrafficEntry>, byte[]> render, Func<TrafficEntry, int> entryBytes)
    {
        var empty = render([]);
        var room = _limit - empty.Length;
        var batch = new List<TrafficEntry>();
        var used = 0;
        foreach (var entry in outbox.Peek(Math.Clamp(room / MinEntryBytes, 1, _cap)))
        {
            var bytes = entryBytes(entry);
            if (bytes <= room - used)
            {
                batch.Add(entry);
                used += bytes;
            }
            else if (batch.Count == 0 && bytes > room)
                Drop(entry.Id, empty.Length + bytes, $"is larger than the {_limit} bytes an EXCHANGE may be");
            else
                break;
        }
        if (batch.Count == 0)
            return _last = new ExchangeBatch(empty, null, 0);

        var message = render(batch);
        // The sizes above add up to the message; should they not, the batch shrinks until it fits.
        while (message.Length > _limit && batch.Count > 1)
        {
            batch.RemoveRange(batch.Count / 2, batch.Count - batch.Count / 2);
            message = render(batch);
        }
        return _last = new ExchangeBatch(message, batch[^1].Id, batch.Count);
    }

    private void Drop(long id, int bytes, string why)
    {
        // Only ever the oldest entry: everything before it went or was dropped already.
        outbox.Acknowledge(id);
        metrics.TrafficDropped(1);
        Log.Dropped(logger, id, bytes, url, why);
    }

    private static partial class Log
    {
        [LoggerMessage(20, LogLevel.Warning, "Dropped traffic entry {Id}: an EXCHANGE of {Bytes} bytes with it to {Url} {Why}")]
        public static partial void Dropped(ILogger logger, long id, int bytes, string url, string why);

        [LoggerMessage(21, LogLevel.Warning, "Entrance {Url} refused an EXCHANGE of {Count} traffic entries ({Bytes} bytes) as too big: sending fewer")]
        public static partial void Splitting(ILogger logger, string url, int count, int bytes);
    }
}
