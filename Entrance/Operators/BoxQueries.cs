using Dandelion.Entrance.Boxes;
using Dandelion.Entrance.Redis;
using StackExchange.Redis;

namespace Dandelion.Entrance.Operators;

/// <summary>
/// The reads behind the operator API, from Redis (the truth, not this entrance's index). Listing
/// walks the buckets' expiry indexes (never KEYS or SCAN) and is bounded; totals add up the
/// buckets' stats, one pipelined read per bucket.
/// </summary>
internal sealed class BoxQueries(RedisConnection redis)
{
    private const int Page = 200;
    /// <summary>At most this many live ids are examined per listing, whatever the filters.</summary>
    public const int MaxExamined = 5000;

    public async Task<List<BoxSummary>> ListAsync(string? country, string? state, int limit, DateTimeOffset now)
    {
        var database = redis.Database;
        var result = new List<BoxSummary>(Math.Min(limit, Page));
        var examined = 0;
        foreach (var keys in redis.Keys.All)
        {
            for (var offset = 0; examined < MaxExamined && result.Count < limit; offset += Page)
            {
                var page = await database.SortedSetRangeByScoreWithScoresAsync(keys.Expiry, now.ToUnixTimeMilliseconds(), double.PositiveInfinity,
                    Exclude.Start, Order.Ascending, offset, Math.Min(Page, MaxExamined - examined));
                if (page.Length == 0)
                    break;
                examined += page.Length;

                var members = page.Select(e => e.Element).ToArray();
                var batch = database.CreateBatch();
                var draining = batch.SetContainsAsync(keys.Draining, members);
                var records = batch.HashGetAsync(keys.Boxes, members);
                batch.Execute();
                await Task.WhenAll(draining, records);

                for (var i = 0; i < page.Length && result.Count < limit; i++)
                {
                    if (records.Result[i].IsNull || StoredBox.Read((byte[])records.Result[i]!) is not { } box)
                        continue;
                    var summary = BoxSummary.From((string)members[i]!, box, draining.Result[i], (long)page[i].Score);
                    if (country is { Length: > 0 } && !string.Equals(summary.Country, country, StringComparison.OrdinalIgnoreCase))
                        continue;
                    if (state is { Length: > 0 } && !string.Equals(summary.State, state, StringComparison.OrdinalIgnoreCase))
                        continue;
                    result.Add(summary);
                }
                if (page.Length < Page)
                    break;
            }
            if (examined >= MaxExamined || result.Count >= limit)
                break;
        }
        return result;
    }

    public async Task<BoxDetail?> GetAsync(string id, DateTimeOffset now)
    {
        var keys = redis.Keys.BucketOf(id);
        var batch = redis.Database.CreateBatch();
        var record = batch.HashGetAsync(keys.Boxes, id);
        var expiry = batch.SortedSetScoreAsync(keys.Expiry, id);
        var draining = batch.SetContainsAsync(keys.Draining, id);
        var traffic = batch.HashGetAllAsync(keys.Traffic(id));
        var sessions = batch.HashValuesAsync(keys.Sessions(id));
        batch.Execute();
        await Task.WhenAll(record, expiry, draining, traffic, sessions);

        if (record.Result.IsNull || expiry.Result is not { } expiresAt || expiresAt <= now.ToUnixTimeMilliseconds() ||
            StoredBox.Read((byte[])record.Result!) is not { } box)
            return null;
        var totals = traffic.Result.ToDictionary(e => (string)e.Name!, e => (long)e.Value);
        // A session of an entrance that died stays in the hash until it expires: only live ones count.
        var open = sessions.Result.Count(expires => (long)expires > now.ToUnixTimeMilliseconds());
        return new BoxDetail(
            BoxSummary.From(id, box, draining.Result, (long)expiresAt),
            open,
            totals.GetValueOrDefault("requests"),
            totals.GetValueOrDefault("bytes"),
            totals.TryGetValue("mark", out var mark) ? mark : null,
            box);
    }

    public async Task<EntranceStats> StatsAsync(DateTimeOffset now, int sessionsHere, int indexedHere)
    {
        var batch = redis.Database.CreateBatch();
        var reads = redis.Keys.All.Select(keys => (
            Live: batch.SortedSetLengthAsync(keys.Expiry, now.ToUnixTimeMilliseconds(), double.PositiveInfinity, Exclude.Start),
            Indexed: batch.SortedSetLengthAsync(keys.Expiry),
            Draining: batch.SetLengthAsync(keys.Draining),
            Totals: batch.HashGetAllAsync(keys.Stats))).ToList();
        batch.Execute();
        await Task.WhenAll(reads.SelectMany(r => new Task[] { r.Live, r.Indexed, r.Draining, r.Totals }));

        var totals = reads.SelectMany(r => r.Totals.Result)
            .GroupBy(e => (string)e.Name!)
            .ToDictionary(g => g.Key, g => g.Sum(e => (long)e.Value));
        long live = reads.Sum(r => r.Live.Result), indexed = reads.Sum(r => r.Indexed.Result);
        return new EntranceStats(live, indexed - live, reads.Sum(r => r.Draining.Result), sessionsHere, indexedHere,
            totals.GetValueOrDefault("exchanges"), totals.GetValueOrDefault("searches"),
            totals.GetValueOrDefault("requests"), totals.GetValueOrDefault("bytes"), totals.GetValueOrDefault("sweeps"));
    }

    /// <summary>The newest <paramref name="limit"/> gone boxes across every bucket.</summary>
    public async Task<List<GoneEntry>> GoneAsync(int limit)
    {
        var batch = redis.Database.CreateBatch();
        var reads = redis.Keys.All.Select(keys => batch.ListRangeAsync(keys.Gone, 0, limit - 1)).ToList();
        batch.Execute();
        await Task.WhenAll(reads);
        var result = new List<GoneEntry>();
        foreach (var entry in reads.SelectMany(r => r.Result))
        {
            try
            {
                if (JsonSerializer.Deserialize((byte[])entry!, GoneEntryJsonContext.Default.GoneEntry) is { } gone)
                    result.Add(gone);
            }
            catch (JsonException)
            {
                // Written by us; unreadable only if someone else wrote the key.
            }
        }
        return [.. result.OrderByDescending(g => g.At).ThenBy(g => g.Id, StringComparer.Ordinal).Take(limit)];
    }
}
