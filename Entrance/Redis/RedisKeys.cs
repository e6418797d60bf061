using StackExchange.Redis;

namespace Dandelion.Entrance.Redis;

/// <summary>
/// Every Redis key the entrance uses, built here and nowhere else. <c>P</c> is
/// <c>Entrance:KeyPrefix</c>. Index keys share the hash tag <c>{idx}</c> so one script can
/// touch them all on Redis Cluster; a box's own keys share the tag <c>{box id}</c> for the same
/// reason. No command ever spans an index key and a box key.
/// <list type="table">
/// <item><term><c>P:{idx}:expiry</c></term><description>ZSET box id → expiry, unix ms. Live means score &gt; now;
/// SEARCH filters on it, so an expired box is never returned even before the sweep. No TTL (members are swept).</description></item>
/// <item><term><c>P:{idx}:geo</c></term><description>GEO set box id → where the entrance placed it (unknown: the configured default). Swept with expiry.</description></item>
/// <item><term><c>P:{idx}:bandwidth</c></term><description>ZSET box id → free upload bytes/s (ceiling − used; 0 when unknown). Swept with expiry.</description></item>
/// <item><term><c>P:{idx}:draining</c></term><description>SET of draining box ids (operator DRAIN or the box's own <c>STATE</c>). Swept with expiry.</description></item>
/// <item><term><c>P:{idx}:gone</c></term><description>LIST, newest first, of <c>{"ID","REASON","AT","NAME"}</c> for boxes that left (reasons in
/// <c>Boxes/GoneReasons</c>); capped at 1,000 entries, no TTL.</description></item>
/// <item><term><c>P:{idx}:names</c></term><description>HASH box id → its <c>NAME</c>, so the gone list can name a box whose own key expired. Removed with the box.</description></item>
/// <item><term><c>P:box:{id}</c></term><description>STRING: the box's last EXCHANGE as JSON without traffic entries or token, plus <c>GEO</c>. PX = expiry.</description></item>
/// <item><term><c>P:box:{id}:sessions</c></term><description>HASH <c>{entrance id}/{session}</c> → session expiry, unix ms, one field per open version 2 session
/// on any entrance. PX = expiry, refreshed per EXCHANGE.</description></item>
/// <item><term><c>P:box:{id}:traffic</c></term><description>HASH <c>mark</c> (highest counted version 2 entry id), <c>requests</c>, <c>bytes</c>. TTL 30 days, refreshed when counting.</description></item>
/// <item><term><c>P:box:{id}:seen</c></term><description>SET of counted version 1 <c>log-…</c> keys. TTL 1 h, refreshed when counting.</description></item>
/// <item><term><c>P:history:{minute}</c></term><description>HASH of the dashboard's charts for one unix minute, fields <c>{series}:{10-s slot}</c>
/// (<c>History/HistoryKeys</c>). TTL 65 min.</description></item>
/// <item><term><c>P:box:{id}:search</c></term><description>HASH of the box's recent SEARCHes: <c>seen</c> (a candidate), <c>chosen</c> (answered),
/// <c>last</c> (JSON of its last score parts, distance, rank). TTL 1 h, refreshed per SEARCH.</description></item>
/// <item><term><c>P:{idx}:publishers</c></term><description>ZSET publisher id → expiry, unix ms (its last SEARCH + 2 min). Trimmed when read.</description></item>
/// <item><term><c>P:publisher:{id}</c></term><description>STRING: JSON of the publisher's last SEARCH as the dashboard shows it (name, place, streams). PX 2 min.</description></item>
/// <item><term><c>P:stats</c></term><description>HASH of totals: <c>exchanges</c>, <c>searches</c>, <c>requests</c>, <c>bytes</c>. No TTL.</description></item>
/// <item><term><c>P:commands</c></term><description>pub/sub channel relaying operator commands to the entrance holding a box's session.</description></item>
/// </list>
/// </summary>
internal sealed class RedisKeys(string prefix)
{
    public static readonly TimeSpan TrafficLifetime = TimeSpan.FromDays(30);
    public static readonly TimeSpan SeenLifetime = TimeSpan.FromHours(1);
    public static readonly TimeSpan SearchRecordLifetime = TimeSpan.FromHours(1);
    public static readonly TimeSpan PublisherLifetime = TimeSpan.FromMinutes(2);
    public const int GoneCapacity = 1000;

    public string Prefix { get; } = prefix;

    public RedisKey Expiry { get; } = $"{prefix}:{{idx}}:expiry";
    public RedisKey Geo { get; } = $"{prefix}:{{idx}}:geo";
    public RedisKey Bandwidth { get; } = $"{prefix}:{{idx}}:bandwidth";
    public RedisKey Draining { get; } = $"{prefix}:{{idx}}:draining";
    public RedisKey Gone { get; } = $"{prefix}:{{idx}}:gone";
    public RedisKey Names { get; } = $"{prefix}:{{idx}}:names";
    public RedisKey Publishers { get; } = $"{prefix}:{{idx}}:publishers";
    public RedisKey Stats { get; } = $"{prefix}:stats";
    public RedisChannel Commands { get; } = RedisChannel.Literal($"{prefix}:commands");

    public RedisKey Box(string id) => $"{Prefix}:box:{{{id}}}";
    public RedisKey Sessions(string id) => $"{Prefix}:box:{{{id}}}:sessions";
    public RedisKey Traffic(string id) => $"{Prefix}:box:{{{id}}}:traffic";
    public RedisKey Seen(string id) => $"{Prefix}:box:{{{id}}}:seen";
    public RedisKey SearchRecord(string id) => $"{Prefix}:box:{{{id}}}:search";
    public RedisKey Publisher(string id) => $"{Prefix}:publisher:{{{id}}}";
    public static RedisKey History(string prefix, long unixMinute) => $"{prefix}:history:{unixMinute}";

    /// <summary>The index keys, in the order the sweep and removal scripts expect them.</summary>
    public RedisKey[] Indexes => [Expiry, Geo, Bandwidth, Draining, Gone, Names];
}
