using StackExchange.Redis;

namespace Dandelion.Entrance.Redis;

/// <summary>The keys of one bucket, all on one hash slot (see <see cref="RedisKeys"/>).</summary>
internal sealed class BucketKeys(string prefix, int index, string tag)
{
    private readonly string _head = $"{prefix}:{{{tag}}}";

    public int Index { get; } = index;

    public RedisKey Expiry { get; } = $"{prefix}:{{{tag}}}:expiry";
    public RedisKey Boxes { get; } = $"{prefix}:{{{tag}}}:boxes";
    public RedisKey Meta { get; } = $"{prefix}:{{{tag}}}:meta";
    public RedisKey Draining { get; } = $"{prefix}:{{{tag}}}:draining";
    public RedisKey Gone { get; } = $"{prefix}:{{{tag}}}:gone";
    public RedisKey Stats { get; } = $"{prefix}:{{{tag}}}:stats";
    public RedisKey Sequence { get; } = $"{prefix}:{{{tag}}}:seq";
    public RedisKey Fence { get; } = $"{prefix}:{{{tag}}}:fence";
    public RedisKey Publishers { get; } = $"{prefix}:{{{tag}}}:publishers";
    public RedisKey Credentials { get; } = $"{prefix}:{{{tag}}}:credentials";
    public RedisKey Revoked { get; } = $"{prefix}:{{{tag}}}:revoked";

    /// <summary>Sharded pub/sub: every change to the bucket, in the order Redis made it.</summary>
    public RedisChannel Feed { get; } = RedisChannel.Sharded($"{prefix}:{{{tag}}}:feed");

    public RedisKey Sessions(string boxId) => $"{_head}:box:{boxId}:sessions";
    public RedisKey Traffic(string boxId) => $"{_head}:box:{boxId}:traffic";
    public RedisKey Seen(string boxId) => $"{_head}:box:{boxId}:seen";
    public RedisKey SearchRecord(string boxId) => $"{_head}:box:{boxId}:search";
    public RedisKey Served(string publisherId) => $"{_head}:publisher:{publisherId}:served";
}
