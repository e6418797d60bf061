using StackExchange.Redis;

namespace Dandelion.Entrance.Redis;

/// <summary>
/// Every Redis key the entrance uses, built here and nowhere else. <c>P</c> is
/// <c>Entrance:KeyPrefix</c>. Boxes are split into <see cref="Buckets"/> buckets by a hash of
/// their id (FNV-1a of the id, modulo 64); everything about a box, its bucket's indexes and its
/// own keys, shares the bucket's hash tag <c>{T}</c>, so each command and script touches one
/// Redis Cluster slot, and heartbeats and sweeps spread over every master. Tag <c>T</c> of
/// bucket <c>i</c> is <c>b{i}.{k}</c> with the smallest <c>k</c> whose slot lies in the i-th
/// 64th of the 16384 slots, so a cluster whose masters hold equal slot ranges (as
/// <c>redis-cli --cluster create</c> makes them) holds equal numbers of buckets.
/// <list type="table">
/// <item><term><c>P:{T}:expiry</c></term><description>ZSET box id → expiry, unix ms. Live means score &gt; now (the truth; swept).</description></item>
/// <item><term><c>P:{T}:boxes</c></term><description>HASH box id → the stored box (<c>StoredBox</c> JSON, BOX_SET value). Swept with expiry.</description></item>
/// <item><term><c>P:{T}:meta</c></term><description>HASH box id → <c>"fingerprint storedAt announcedExpiry bandwidth storage load believed"</c> (<c>believed</c> the
/// <c>BANDWIDTH-BELIEVED</c> last written, <c>-</c> for none):
/// what the record last written was, so an EXCHANGE writes only what changed. Swept with expiry.</description></item>
/// <item><term><c>P:{T}:draining</c></term><description>SET of draining box ids (operator DRAIN or the box's <c>STATE</c>). Swept with expiry.</description></item>
/// <item><term><c>P:{T}:gone</c></term><description>LIST, newest first, of <c>{"ID","REASON","AT","NAME"}</c> for boxes that left (reasons in
/// <c>Boxes/GoneReasons</c>; <c>NAME</c> read from the stored box as it goes); capped at <see cref="GoneCapacity"/>, no TTL.</description></item>
/// <item><term><c>P:{T}:stats</c></term><description>HASH of the bucket's totals: <c>exchanges</c>, <c>searches</c>, <c>requests</c>, <c>bytes</c>, <c>sweeps</c>. No TTL.</description></item>
/// <item><term><c>P:{T}:seq</c></term><description>STRING counter: the number of the last change published on the feed. No TTL.</description></item>
/// <item><term><c>P:{T}:fence</c></term><description>STRING: the highest sweep lease token that swept this bucket (fencing). No TTL.</description></item>
/// <item><term><c>P:{T}:feed</c></term><description>sharded pub/sub channel: each change (<c>U</c>pserted, <c>A</c>live, <c>G</c>one, <c>D</c>raining) with its number.</description></item>
/// <item><term><c>P:{T}:box:{id}:sessions</c></term><description>HASH <c>{entrance id}/{n}</c> → session expiry, unix ms, per open version 2 session. PX = expiry, refreshed when announced.</description></item>
/// <item><term><c>P:{T}:box:{id}:traffic</c></term><description>HASH <c>mark</c>, <c>at</c>, <c>stable</c>, <c>requests</c>, <c>bytes</c>, and the served
/// rate <c>rate</c> (bytes/s) as of <c>rateAt</c> (unix ms; <c>Boxes/BandwidthBelief</c>). TTL 30 days, refreshed when counting.</description></item>
/// <item><term><c>P:{T}:box:{id}:seen</c></term><description>SET of counted version 1 <c>log-…</c> keys. TTL 1 h, refreshed when counting.</description></item>
/// <item><term><c>P:{T}:box:{id}:search</c></term><description>HASH of the box's recent SEARCHes: <c>seen</c> (a candidate), <c>chosen</c> (answered),
/// <c>last</c> (JSON of its last score parts, distance, rank). TTL 1 h, refreshed per SEARCH.</description></item>
/// <item><term><c>P:{T}:publishers</c></term><description>ZSET publisher id → expiry, unix ms (its last SEARCH + 2 min), in the bucket of the
/// publisher's id (so SEARCHes spread over the buckets as heartbeats do). Trimmed per SEARCH.</description></item>
/// <item><term><c>P:{T}:publisher:{id}:served</c></term><description>HASH, in the bucket of the publisher's id: <c>b{path}</c> → bytes and
/// <c>r{path}</c> → requests boxes served of its file <c>path</c> (2xx traffic entries), added by each entrance once per second
/// (<c>Traffic/ServedFlusher</c>), taken whole (read and deleted) by the publisher's next SEARCH. At most 2048 paths; PX 10 min.</description></item>
/// <item><term><c>P:publisher:{id}</c></term><description>STRING: JSON of the publisher's last SEARCH as the dashboard shows it (name, place, streams). PX 2 min.</description></item>
/// <item><term><c>P:history:{minute}</c></term><description>HASH of the dashboard's charts for one unix minute, fields <c>{series}:{10-s slot}</c>
/// (<c>History/HistoryKeys</c>), written by each entrance once per 10 s, never per heartbeat or SEARCH. TTL 65 min.</description></item>
/// <item><term><c>P:{T}:credentials</c></term><description>HASH box or publisher id → unix ms it was first issued a credential or
/// seen showing one, in the bucket of the id: an id here is never served without its credential. No TTL.</description></item>
/// <item><term><c>P:{T}:revoked</c></term><description>HASH box or publisher id → unix ms its credential was revoked. No TTL; every entrance
/// keeps a copy in memory (<c>Auth/RevocationList</c>), reloaded each minute.</description></item>
/// <item><term><c>P:revocations</c></term><description>pub/sub channel (broadcast to every entrance): an id just revoked.</description></item>
/// <item><term><c>P:{E}:commands</c></term><description>sharded pub/sub channel of entrance <c>E</c>: operator commands for the box sessions it holds.</description></item>
/// <item><term><c>P:{lease:name}</c></term><description>STRING <c>"{entrance id} {token}"</c>, PX = one heartbeat: who runs a once-only job (the sweep).</description></item>
/// <item><term><c>P:{lease:name}:token</c></term><description>STRING counter of lease tokens (fencing). No TTL.</description></item>
/// </list>
/// </summary>
internal sealed class RedisKeys
{
    /// <summary>Fixed: every entrance must split boxes alike, and a change would move every box.</summary>
    public const int Buckets = 64;

    public static readonly TimeSpan TrafficLifetime = TimeSpan.FromDays(30);
    public static readonly TimeSpan SeenLifetime = TimeSpan.FromHours(1);
    public static readonly TimeSpan SearchRecordLifetime = TimeSpan.FromHours(1);
    public static readonly TimeSpan PublisherLifetime = TimeSpan.FromMinutes(2);

    /// <summary>Gone entries kept per bucket.</summary>
    public const int GoneCapacity = 100;

    private static readonly string[] Tags = MakeTags();

    private readonly BucketKeys[] _buckets;

    public RedisKeys(string prefix)
    {
        Prefix = prefix;
        _buckets = [.. Tags.Select((tag, i) => new BucketKeys(prefix, i, tag))];
    }

    public string Prefix { get; }

    public IReadOnlyList<BucketKeys> All => _buckets;

    public BucketKeys Bucket(int index) => _buckets[index];

    public BucketKeys BucketOf(string boxId) => _buckets[BucketIndex(boxId)];

    public BucketKeys BucketOfPublisher(string publisherId) => _buckets[BucketIndex(publisherId)];

    public RedisKey Publisher(string id) => $"{Prefix}:publisher:{{{id}}}";

    public static RedisKey History(string prefix, long unixMinute) => $"{prefix}:history:{unixMinute}";

    public RedisChannel Commands(string entranceId) => RedisChannel.Sharded($"{Prefix}:{{{entranceId}}}:commands");

    public RedisChannel Revocations => RedisChannel.Literal($"{Prefix}:revocations");

    public RedisKey Lease(string name) => $"{Prefix}:{{lease:{name}}}";
    public RedisKey LeaseToken(string name) => $"{Prefix}:{{lease:{name}}}:token";

    public static int BucketIndex(string boxId)
    {
        var hash = 2166136261u;
        foreach (var c in boxId)
            hash = (hash ^ c) * 16777619u;
        return (int)(hash % Buckets);
    }

    private static string[] MakeTags()
    {
        const int width = ClusterSlot.Count / Buckets;
        var tags = new string[Buckets];
        for (var i = 0; i < Buckets; i++)
        {
            for (var k = 0; ; k++)
            {
                var tag = $"b{i}.{k}";
                if (ClusterSlot.Crc16(Encoding.ASCII.GetBytes(tag)) % ClusterSlot.Count / width == i)
                {
                    tags[i] = tag;
                    break;
                }
            }
        }
        return tags;
    }
}
