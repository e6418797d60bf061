using System.Globalization;
using System.Text.Json;
using Dandelion.Entrance.Configuration;
using Dandelion.Entrance.Operators;
using Dandelion.Entrance.Publishers;
using Dandelion.Entrance.Redis;
using Dandelion.Entrance.Search;
using Dandelion.Entrance.Sessions;
using Dandelion.Shared.Protocol;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Dandelion.Entrance.Dashboard;

/// <summary>
/// Reads what <c>/api/network</c> answers. Round trips: the operator reads (listing, one batch
/// per box, stats, gone), then one batch for every shown box's search record and the live
/// publishers. Bounded by <see cref="MaxBoxes"/>, <see cref="GoneShown"/>, <see cref="MaxPublishers"/>.
/// </summary>
internal sealed class NetworkReader(BoxQueries queries, SessionDirectory sessions, RedisConnection redis,
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
        var stats = queries.StatsAsync(now, sessions.Count);
        var goneEntries = queries.GoneAsync(GoneShown * 5);
        var listed = await queries.ListAsync(null, null, MaxBoxes, now);
        var details = (await Task.WhenAll(listed.Select(b => queries.GetAsync(b.Id, now)))).OfType<BoxDetail>().ToList();

        var keys = redis.Keys;
        var batch = redis.Database.CreateBatch();
        var records = details.Select(d => batch.HashGetAllAsync(keys.SearchRecord(d.Box.Id))).ToArray();
        var publisherIds = batch.SortedSetRangeByScoreAsync(keys.Publishers, now.ToUnixTimeMilliseconds(), double.PositiveInfinity,
            Exclude.Start, Order.Descending, 0, MaxPublishers);
        batch.Execute();
        await Task.WhenAll([.. records, publisherIds]);
        var publisherReads = redis.Database.CreateBatch();
        var publisherDocuments = publisherIds.Result.Select(id => publisherReads.StringGetAsync(keys.Publisher((string)id!))).ToArray();
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
        var exchange = detail.LastExchange;
        var box1 = new NetworkBox(box.Id, Text(exchange, "NAME"), box.Version, box.State, box.Country, box.City, box.GeoKnown,
            Place(exchange), box.HttpUrl,
            // The expiry is pushed Expiry past each EXCHANGE, so the last one was that long before it.
            box.ExpiresAt - expiry, box.ExpiresAt,
            Number(exchange, "STORAGE-USED"), Number(exchange, "STORAGE-QUOTA"), Number(exchange, "FILES"),
            Number(exchange, "BANDWIDTH-USED"), Number(exchange, "BANDWIDTH-CEILING"),
            detail.RequestsServed, detail.BytesServed, detail.OpenSessions, searches, new TrafficExplanation("", ""));
        return box1 with { Traffic = TrafficExplainer.Explain(box1, now, heartbeat) };
    }

    private static BoxPlace Place(JsonElement exchange)
    {
        var geo = Element<GeoLocation>(exchange, "GEO", ProtocolJsonContext.Default.GeoLocation) ?? new GeoLocation();
        return new BoxPlace(geo.Latitude, geo.Longitude, geo.City, geo.Country,
            geo.Source ?? (geo.Known ? PlaceSources.GeoIp : PlaceSources.Default),
            Element<StatedLocation>(exchange, "LOCATION", ProtocolJsonContext.Default.StatedLocation),
            Element<GeoLocation>(exchange, "GEOIP", ProtocolJsonContext.Default.GeoLocation));
    }

    private static T? Element<T>(JsonElement document, string name, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        if (document.ValueKind != JsonValueKind.Object || !document.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Object)
            return null;
        try
        {
            return value.Deserialize(type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement document, string name) =>
        document.ValueKind == JsonValueKind.Object && document.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>Boxes send figures as numbers or, as the original does, as strings; anything else is unknown.</summary>
    private static long? Number(JsonElement document, string name)
    {
        if (document.ValueKind != JsonValueKind.Object || !document.TryGetProperty(name, out var value))
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number))
            return (long)number;
        if (value.ValueKind == JsonValueKind.String && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
            return (long)parsed;
        return null;
    }
}
