using Dandelion.Entrance.Redis;

namespace Dandelion.Entrance.History;

/// <summary>Reads the last hour of <see cref="HistoryKeys"/>: one batch of 60 <c>HGETALL</c>s of at most 48 fields each.</summary>
internal sealed class HistoryQueries(RedisConnection redis)
{
    public const int Minutes = 60;

    public async Task<HistorySeries> LastHourAsync(DateTimeOffset now)
    {
        var nowMinute = now.ToUnixTimeSeconds() / 60;
        var first = nowMinute - Minutes + 1;
        var batch = redis.Database.CreateBatch();
        var reads = Enumerable.Range(0, Minutes)
            .Select(i => batch.HashGetAllAsync(RedisKeys.History(redis.Keys.Prefix, first + i)))
            .ToArray();
        batch.Execute();
        await Task.WhenAll(reads);

        var points = Minutes * HistoryKeys.SlotsPerMinute;
        var time = new List<long>(points);
        var live = new List<long?>(points);
        var draining = new List<long?>(points);
        var publishers = new List<long?>(points);
        var boxBytes = new List<double?>(points);
        var originBytes = new List<double?>(points);
        var share = new List<double?>(points);
        var exchanges = new List<double?>(points);
        var searches = new List<double?>(points);
        var seconds = HistoryKeys.Slot.TotalSeconds;
        var current = (int)(now.ToUnixTimeSeconds() % 60 / 10);
        for (var m = 0; m < Minutes; m++)
        {
            var fields = reads[m].Result.ToDictionary(e => (string)e.Name!, e => (long)e.Value, StringComparer.Ordinal);
            for (var slot = 0; slot < HistoryKeys.SlotsPerMinute; slot++)
            {
                // The current slot is still filling: left out rather than drawn as a dip.
                if (m == Minutes - 1 && slot >= current)
                    break;
                long? Get(string series) => fields.TryGetValue(HistoryKeys.Field(series, slot), out var v) ? v : null;
                var gauge = Get(HistoryKeys.Live);
                time.Add((first + m) * 60 + slot * (long)seconds);
                live.Add(gauge);
                draining.Add(Get(HistoryKeys.Draining));
                publishers.Add(Get(HistoryKeys.Publishers));
                // Counters missing in a slot some entrance wrote are 0, not unknown.
                double? Rate(string series) => gauge is null ? null : (Get(series) ?? 0) / seconds;
                boxBytes.Add(Rate(HistoryKeys.BoxBytes));
                originBytes.Add(Rate(HistoryKeys.OriginBytes));
                exchanges.Add(Rate(HistoryKeys.Exchanges));
                searches.Add(Rate(HistoryKeys.Searches));
                var redirect = Get(HistoryKeys.RedirectBytes) ?? 0;
                var origin = Get(HistoryKeys.OriginBytes) ?? 0;
                share.Add(redirect + origin > 0 ? Math.Round((double)redirect / (redirect + origin), 4) : null);
            }
        }
        return new HistorySeries(time, live, draining, publishers, boxBytes, originBytes, share, exchanges, searches);
    }
}
