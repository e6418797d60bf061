using Dandelion.Entrance.Geo;
using Dandelion.Entrance.Redis;
using StackExchange.Redis;

namespace Dandelion.Entrance.Search;

/// <summary>
/// Finds SEARCH candidates in two round trips whatever the number of boxes: first the
/// nearest <c>n</c> by GEO search and the <c>n</c> with most free bandwidth, then, for those,
/// their expiry scores, draining flags and documents.
/// </summary>
internal sealed class CandidateFinder(RedisConnection redis)
{
    // Half the Earth's circumference: the whole globe, nearest first.
    private const double Everywhere = 20040;

    public async Task<List<Candidate>> FindAsync(double latitude, double longitude, int perSource,
        IReadOnlySet<string> exclude, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var keys = redis.Keys;
        var database = redis.Database;

        var first = database.CreateBatch();
        var near = first.GeoSearchAsync(keys.Geo, longitude, GeoDistance.ClampLatitude(latitude),
            new GeoSearchCircle(Everywhere, GeoUnit.Kilometers), perSource, demandClosest: true, Order.Ascending, GeoRadiusOptions.None);
        var roomy = first.SortedSetRangeByRankAsync(keys.Bandwidth, 0, perSource - 1, Order.Descending);
        var counted = first.HashIncrementAsync(keys.Stats, "searches");
        first.Execute();
        await Task.WhenAll(near, roomy, counted).WaitAsync(cancellationToken);

        var ids = new List<RedisValue>(perSource * 2);
        var unique = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in near.Result.Select(r => r.Member).Concat(roomy.Result))
        {
            var text = (string)id!;
            if (!exclude.Contains(text) && unique.Add(text))
                ids.Add(id);
        }
        if (ids.Count == 0)
            return [];

        var members = ids.ToArray();
        var second = database.CreateBatch();
        var expiries = second.SortedSetScoresAsync(keys.Expiry, members);
        var draining = second.SetContainsAsync(keys.Draining, members);
        var documents = members.Select(id => second.StringGetAsync(keys.Box((string)id!))).ToArray();
        second.Execute();
        await Task.WhenAll([expiries, draining, .. documents]).WaitAsync(cancellationToken);

        var nowMs = now.ToUnixTimeMilliseconds();
        var live = new List<Candidate>(members.Length);
        for (var i = 0; i < members.Length; i++)
        {
            // The expiry score decides, not the sweep: a box past it is gone even if still indexed.
            if (expiries.Result[i] is not { } expiry || expiry <= nowMs || draining.Result[i])
                continue;
            if (documents[i].Result is { IsNull: false } document)
                live.Add(new Candidate((string)members[i]!, (byte[])document!));
        }
        return live;
    }
}
