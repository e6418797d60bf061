using Dandelion.Entrance.History;
using Dandelion.Entrance.Redis;
using Dandelion.Shared.Identity;
using StackExchange.Redis;

namespace Dandelion.Entrance.Publishers;

/// <summary>
/// Records a version 2 SEARCH's publisher (name, place, what it served per stream) for the
/// dashboard, and adds what it served since its previous record to the history. One round trip,
/// after the reply is sent, at most once per <see cref="Interval"/> per publisher on this
/// entrance: a publisher's figures are running totals, so a SEARCH not recorded loses nothing
/// the next one does not carry (the dashboard is at most that much behind). At most
/// <see cref="MaxStreams"/> streams are kept.
/// </summary>
internal sealed partial class PublisherRegistry(RedisConnection redis, HistoryRecorder history, TimeProvider time,
    ILogger<PublisherRegistry> logger)
{
    public const int MaxStreams = 32;

    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>Publishers remembered for the throttle; past it the memory starts over (a few extra records).</summary>
    private const int MaxRemembered = 10_000;

    private readonly ConcurrentDictionary<string, long> _recorded = new(StringComparer.Ordinal);

    /// <returns>False when this publisher was recorded less than <see cref="Interval"/> ago.</returns>
    public async Task<bool> RecordAsync(SearchRequest search, GeoLocation geo)
    {
        var now = time.GetUtcNow();
        if (!Due(search.Id!, now.ToUnixTimeMilliseconds()))
            return false;
        var record = new PublisherRecord
        {
            Id = search.Id!,
            Name = NodeName.Clean(search.Name),
            At = now.ToUnixTimeMilliseconds(),
            Geo = geo,
            Streams = (search.Streams ?? [])
                .Where(s => NodeName.Clean(s.Name) is not null)
                .Take(MaxStreams)
                .Select(s => s with { Name = NodeName.Clean(s.Name)!, OriginBytes = Math.Max(0, s.OriginBytes), BoxBytes = Math.Max(0, s.BoxBytes) })
                .ToList(),
            Distrusted = (search.Distrusted ?? [])
                .Where(id => NodeIdentity.IsValid(id, NodeRole.Box))
                .Distinct(StringComparer.Ordinal)
                .Take(MaxStreams)
                .ToList(),
        };
        try
        {
            var keys = redis.Keys;
            var batch = redis.Database.CreateBatch();
            var previous = batch.StringSetAndGetAsync(keys.Publisher(record.Id),
                JsonSerializer.SerializeToUtf8Bytes(record, PublisherJsonContext.Default.PublisherRecord), RedisKeys.PublisherLifetime);
            // In the bucket of the publisher's id: SEARCHes spread over every master, as heartbeats do.
            var publishers = keys.BucketOfPublisher(record.Id).Publishers;
            var indexed = batch.SortedSetAddAsync(publishers, record.Id, (now + RedisKeys.PublisherLifetime).ToUnixTimeMilliseconds());
            var trimmed = batch.SortedSetRemoveRangeByScoreAsync(publishers, double.NegativeInfinity, now.ToUnixTimeMilliseconds());
            batch.Execute();
            await Task.WhenAll(previous, indexed, trimmed);
            var (origin, redirect) = Delta(Read(previous.Result), record);
            history.Offloaded(origin, redirect);
        }
        catch (Exception ex) when (RedisResilience.IsOutage(ex))
        {
            Log.NotRecorded(logger, record.Id, ex);
            _recorded.TryRemove(record.Id, out _); // the next SEARCH tries again
        }
        return true;
    }

    private bool Due(string publisherId, long nowMs)
    {
        if (_recorded.Count >= MaxRemembered)
            _recorded.Clear();
        while (true)
        {
            if (!_recorded.TryGetValue(publisherId, out var last))
            {
                if (_recorded.TryAdd(publisherId, nowMs))
                    return true;
                continue;
            }
            if (nowMs - last < (long)Interval.TotalMilliseconds)
                return false;
            if (_recorded.TryUpdate(publisherId, nowMs, last))
                return true;
        }
    }

    /// <summary>What a publisher served between two SEARCHes; a total that went down means it restarted, so counts from 0.</summary>
    public static (long Origin, long Redirect) Delta(PublisherRecord? before, PublisherRecord after)
    {
        long origin = 0, redirect = 0;
        foreach (var stream in after.Streams)
        {
            var old = before?.Streams.FirstOrDefault(s => s.Name == stream.Name);
            origin += old is not null && stream.OriginBytes >= old.OriginBytes ? stream.OriginBytes - old.OriginBytes : before is null ? 0 : stream.OriginBytes;
            redirect += old is not null && stream.BoxBytes >= old.BoxBytes ? stream.BoxBytes - old.BoxBytes : before is null ? 0 : stream.BoxBytes;
        }
        return (origin, redirect);
    }

    public static PublisherRecord? Read(RedisValue value)
    {
        if (value.IsNull)
            return null;
        try
        {
            return JsonSerializer.Deserialize((byte[])value!, PublisherJsonContext.Default.PublisherRecord);
        }
        catch (JsonException)
        {
            return null; // Written by us; unreadable only if someone else wrote the key.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Publisher {PublisherId} not recorded for the dashboard: Redis is unavailable.")]
        public static partial void NotRecorded(ILogger logger, string publisherId, Exception exception);
    }
}
