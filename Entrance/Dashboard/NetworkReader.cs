using Dandelion.Entrance.Configuration;
using Dandelion.Entrance.Operators;
using Dandelion.Entrance.Peers;
using Dandelion.Entrance.Publishers;
using Dandelion.Entrance.Redis;
using Dandelion.Entrance.Search;
using StackExchange.Redis;

namespace Dandelion.Entrance.Dashboard;

/// <summary>
/// Reads what <c>/api/network</c> answers. Round trips: the operator reads (listing, one batch
/// per box, stats, gone), then one batch for every shown box's search record and each bucket's
/// live publishers, then one for their records. Bounded by <see cref="MaxBoxes"/>, <see cref="GoneShown"/>, <see cref="MaxPublishers"/>.
/// </summary>
internal sealed class NetworkReader(BoxQueries queries, SessionDirectory sessions, BoxIndex index, RedisConnection redis,
    IOptions<EntranceOptions> options, TimeProvider time)
{
    /// <summary>Boxes given in full per answer; a larger network shows its totals whole and the first boxes by expiry.</summary>
    public const int MaxBoxes = 200;
    public const int GoneShown = 20;
    public const int MaxPublishers = 50;

    public async Task<NetworkOverview> ReadAsync()
    {
        var now = time.GetUtcNow();
        var expiry = options.Value.EffectiveExpiry;
        var stats = queries.StatsAsync(now, sessions.Count, index.Count);
        var goneEntries = queries.GoneAsync(GoneShown * 5);
        var listed = await queries.ListAsync(null, null, MaxBoxes, now);
        var details = (await Task.WhenAll(listed.Select(b => queries.GetAsync(b.Id, now)))).OfType<BoxDetail>().ToList();

        var keys = redis.Keys;
        var nowMs = now.ToUnixTimeMilliseconds();
        var batch = redis.Database.CreateBatch();
        var records = details.Select(d => batch.HashGetAllAsync(keys.BucketOf(d.Box.Id).SearchRecord(d.Box.Id))).ToArray();
        var publisherPages = keys.All.Select(b => batch.SortedSetRangeByScoreWithScoresAsync(b.Publishers, nowMs, double.PositiveInfinity,
            Exclude.Start, Order.Descending, 0, MaxPublishers)).ToArray();
        batch.Execute();
        await Task.WhenAll([.. records, .. publisherPages]);
        // The newest searchers over every bucket (latest expiry first).
        var publisherIds = publisherPages.SelectMany(p => p.Result).OrderByDescending(e => e.Score)
            .Take(MaxPublishers).Select(e => e.Element).ToArray();
        var publisherReads = redis.Database.CreateBatch();
        var publisherDocuments = publisherIds.Select(id => publisherReads.StringGetAsync(keys.Publisher((string)id!))).ToArray();
        publisherReads.Execute();
        await Task.WhenAll(publisherDocuments);
        var publishers = publisherDocuments.Select(p => PublisherRegistry.Read(p.Result)).OfType<PublisherRecord>().ToList();

        var heartbeat = options.Value.Heartbeat;
        var boxes = details.Select((d, i) => ToBox(d, Searches(records[i].Result), expiry, now, heartbeat))
            .OrderBy(b => b.Name ?? b.Id, StringComparer.Ordinal).ToList();
        var live = boxes.Select(b => b.Id).ToHashSet(StringComparer.Ordinal);
        var gone = GoneList.From(await goneEntries, live, expiry, GoneShown);

        var origin = publishers.Sum(p => p.Streams.Sum(s => s.OriginBytes));
        var viaBoxes = publishers.Sum(p => p.Streams.Sum(s => s.BoxBytes));
        return new NetworkOverview(now, heartbeat.TotalSeconds, expiry.TotalSeconds, await stats,
            new LiveTotals(boxes.Sum(b => b.StorageUsed ?? 0), boxes.Sum(b => b.BandwidthUsed ?? 0),
                boxes.Sum(b => b.RequestsServed), boxes.Sum(b => b.BytesServed)),
            new OffloadTotals(origin, viaBoxes, origin + viaBoxes > 0 ? Math.Round((double)viaBoxes / (origin + viaBoxes), 4) : null,
                publishers.Sum(p => p.Streams.Count)),
            boxes.Count, boxes, gone, publishers);
    }

    private static BoxSearches Searches(HashEntry[] record)
    {
        var fields = record.ToDictionary(e => (string)e.Name!, e => e.Value, StringComparer.Ordinal);
        SearchMark? last = null;
        if (fields.TryGetValue("last", out var json))
        {
            try
            {
                last = JsonSerializer.Deserialize((string)json!, SearchMarkJsonContext.Default.SearchMark);
            }
            catch (JsonException)
            {
                // Written by us; unreadable only if someone else wrote the key.
            }
        }
        return new BoxSearches(fields.TryGetValue("seen", out var seen) ? (long)seen : 0,
            fields.TryGetValue("chosen", out var chosen) ? (long)chosen : 0, last);
    }

    private static NetworkBox ToBox(BoxDetail detail, BoxSearches searches, TimeSpan expiry, DateTimeOffset now, TimeSpan heartbeat)
    {
        var box = detail.Box;
        var stored = detail.LastExchange;
        var shown = new NetworkBox(box.Id, stored.Name, box.Version, box.State, box.Country, box.City, box.GeoKnown,
            Place(stored), box.HttpUrl,
            // The expiry is pushed Expiry past each EXCHANGE, so the last one was that long before it.
            box.ExpiresAt - expiry, box.ExpiresAt,
            stored.StorageUsed, stored.StorageQuota, stored.Files, stored.BandwidthUsed, stored.BandwidthCeiling,
            detail.RequestsServed, detail.BytesServed, detail.OpenSessions, searches, new TrafficExplanation("", ""));
        return shown with { Traffic = TrafficExplainer.Explain(shown, now, heartbeat) };
    }

    private static BoxPlace Place(StoredBox box)
    {
        var geo = box.Geo;
        return new BoxPlace(geo.Latitude, geo.Longitude, geo.City, geo.Country,
            geo.Source ?? (geo.Known ? PlaceSources.GeoIp : PlaceSources.Default), box.Location, box.GeoIp, box.LocationNote);
    }
}
