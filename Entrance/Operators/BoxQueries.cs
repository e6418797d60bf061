using System.Text.Json;
using Dandelion.Entrance.Boxes;
using Dandelion.Entrance.Redis;
using StackExchange.Redis;

namespace Dandelion.Entrance.Operators;

/// <summary>The reads behind the operator API. Listing walks the expiry index (never KEYS or SCAN) and is bounded.</summary>
internal sealed class BoxQueries(RedisConnection redis)
{
    private const int Page = 200;
    /// <summary>At most this many live ids are examined per listing, whatever the filters.</summary>
    public const int MaxExamined = 5000;

    public async Task<List<BoxSummary>> ListAsync(string? country, string? state, int limit, DateTimeOffset now)
    {
        var keys = redis.Keys;
        var database = redis.Database;
        var result = new List<BoxSummary>(Math.Min(limit, Page));
        for (var offset = 0; offset < MaxExamined && result.Count < limit; offset += Page)
        {
            var page = await database.SortedSetRangeByScoreWithScoresAsync(keys.Expiry, now.ToUnixTimeMilliseconds(), double.PositiveInfinity,
                Exclude.Start, Order.Ascending, offset, Page);
            if (page.Length == 0)
                break;

            var batch = database.CreateBatch();
            var members = page.Select(e => e.Element).ToArray();
            var draining = batch.SetContainsAsync(keys.Draining, members);
            var documents = members.Select(m => batch.StringGetAsync(keys.Box((string)m!))).ToArray();
            batch.Execute();
            await Task.WhenAll([draining, .. documents]);

            for (var i = 0; i < page.Length && result.Count < limit; i++)
            {
                if (documents[i].Result is not { IsNull: false } raw || StoredBox.Read((byte[])raw!) is not { } box)
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
        return result;
    }

    public async Task<BoxDetail?> GetAsync(string id, DateTimeOffset now)
    {
        var keys = redis.Keys;
        var batch = redis.Database.CreateBatch();
        var document = batch.StringGetAsync(keys.Box(id));
        var expiry = batch.SortedSetScoreAsync(keys.Expiry, id);
        var draining = batch.SetContainsAsync(keys.Draining, id);
        var traffic = batch.HashGetAllAsync(keys.Traffic(id));
        var sessions = batch.HashLengthAsync(keys.Sessions(id));
        batch.Execute();
        await Task.WhenAll(document, expiry, draining, traffic, sessions);

        if (document.Result.IsNull || expiry.Result is not { } expiresAt || expiresAt <= now.ToUnixTimeMilliseconds() ||
            StoredBox.Read((byte[])document.Result!) is not { } box)
            return null;
        var totals = traffic.Result.ToDictionary(e => (string)e.Name!, e => (long)e.Value);
        return new BoxDetail(
            BoxSummary.From(id, box, draining.Result, (long)expiresAt),
            sessions.Result,
            totals.GetValueOrDefault("requests"),
            totals.GetValueOrDefault("bytes"),
            totals.TryGetValue("mark", out var mark) ? mark : null,
            box);
    }

    public async Task<EntranceStats> StatsAsync(DateTimeOffset now, int sessionsHere)
    {
        var keys = redis.Keys;
        var batch = redis.Database.CreateBatch();
        var live = batch.SortedSetLengthAsync(keys.Expiry, now.ToUnixTimeMilliseconds(), double.PositiveInfinity, Exclude.Start);
        var indexed = batch.SortedSetLengthAsync(keys.Expiry);
        var draining = batch.SetLengthAsync(keys.Draining);
        var totals = batch.HashGetAllAsync(keys.Stats);
        batch.Execute();
        await Task.WhenAll(live, indexed, draining, totals);
        var values = totals.Result.ToDictionary(e => (string)e.Name!, e => (long)e.Value);
        return new EntranceStats(live.Result, indexed.Result - live.Result, draining.Result, sessionsHere,
            values.GetValueOrDefault("exchanges"), values.GetValueOrDefault("searches"),
            values.GetValueOrDefault("requests"), values.GetValueOrDefault("bytes"));
    }

    public async Task<List<GoneBox>> GoneAsync(int limit)
    {
        var entries = await redis.Database.ListRangeAsync(redis.Keys.Gone, 0, limit - 1);
        var result = new List<GoneBox>(entries.Length);
        foreach (var entry in entries)
        {
            try
            {
                if (JsonSerializer.Deserialize((byte[])entry!, StoredBoxJsonContext.Default.GoneBox) is { } gone)
                    result.Add(gone);
            }
            catch (JsonException)
            {
                // Written by us; unreadable only if someone else wrote the key.
            }
        }
        return result;
    }
}
