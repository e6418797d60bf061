using Dandelion.Entrance.Redis;
using StackExchange.Redis;

namespace Dandelion.Entrance.Auth;

/// <summary>
/// Which ids have a credential and which were revoked, in Redis (<see cref="RedisKeys"/>: each id's
/// bucket holds its entries, so every command touches one slot). Cost: one round trip per
/// credential issued, per connection's first authenticated message, per version 1 message and per
/// revocation; none per heartbeat.
/// </summary>
internal sealed class CredentialStore(RedisConnection redis, TimeProvider time)
{
    /// <summary>Records that <paramref name="id"/> has a credential; false when the id was revoked (it never comes back).</summary>
    public async Task<bool> IssueAsync(string id)
    {
        var bucket = redis.Keys.BucketOf(id);
        if (await redis.Database.HashExistsAsync(bucket.Revoked, id))
            return false;
        await redis.Database.HashSetAsync(bucket.Credentials, id, time.GetUtcNow().ToUnixTimeMilliseconds(), When.NotExists);
        return true;
    }

    /// <summary>A credential was shown for <paramref name="id"/> (one issued by the CLI, which has no Redis).</summary>
    public Task SeenAsync(string id) =>
        redis.Database.HashSetAsync(redis.Keys.BucketOf(id).Credentials, id, time.GetUtcNow().ToUnixTimeMilliseconds(), When.NotExists);

    public Task<bool> HasCredentialAsync(string id) => redis.Database.HashExistsAsync(redis.Keys.BucketOf(id).Credentials, id);

    /// <summary>Revokes <paramref name="id"/> and tells every entrance; false when it was already revoked.</summary>
    public async Task<bool> RevokeAsync(string id)
    {
        var bucket = redis.Keys.BucketOf(id);
        var added = await redis.Database.HashSetAsync(bucket.Revoked, id, time.GetUtcNow().ToUnixTimeMilliseconds(), When.NotExists);
        // Published even when already revoked: an entrance that missed the first message learns it now.
        await redis.Subscriber.PublishAsync(redis.Keys.Revocations, id);
        return added;
    }

    /// <summary>How many ids were revoked: one HLEN per bucket, each on its own slot.</summary>
    public async Task<long> RevokedCountAsync()
    {
        var counts = await Task.WhenAll(redis.Keys.All.Select(bucket => redis.Database.HashLengthAsync(bucket.Revoked)));
        return counts.Sum();
    }

    /// <summary>Every revoked id: one HKEYS per bucket, each on its own slot.</summary>
    public async Task<HashSet<string>> RevokedAsync()
    {
        var all = await Task.WhenAll(redis.Keys.All.Select(bucket => redis.Database.HashKeysAsync(bucket.Revoked)));
        return all.SelectMany(ids => ids).Select(id => (string)id!).ToHashSet(StringComparer.Ordinal);
    }
}
