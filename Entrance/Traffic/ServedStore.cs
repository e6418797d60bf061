using Dandelion.Entrance.Redis;
using StackExchange.Redis;

namespace Dandelion.Entrance.Traffic;

/// <summary>
/// Each publisher's served counts in Redis (<c>P:{T}:publisher:{id}:served</c>, in the bucket of
/// the publisher's id: one key, one slot). The flusher adds to it, one script per publisher per
/// flush; the publisher's next version 2 SEARCH takes it whole (read and delete in one script), so
/// each count reaches the publisher once. The hash holds at most <see cref="MaxPaths"/> files;
/// more add to the <c>""</c> file. Cost: per flush, one call per publisher whose files were served
/// (not per box or per EXCHANGE); per SEARCH, one call on the publisher's slot.
/// </summary>
internal sealed class ServedStore(RedisConnection redis)
{
    public const int MaxPaths = 2048;

    /// <summary>Counts a publisher does not collect (it stopped searching) are dropped after this.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    // Fields: 'b' .. path → bytes, 'r' .. path → requests.
    private const string AddSource = """
        local cap = tonumber(ARGV[1]) * 2
        local i = 3
        while i <= #ARGV do
          local path = ARGV[i]
          if redis.call('HEXISTS', KEYS[1], 'b' .. path) == 0 and redis.call('HLEN', KEYS[1]) >= cap then path = '' end
          redis.call('HINCRBY', KEYS[1], 'b' .. path, ARGV[i + 1])
          redis.call('HINCRBY', KEYS[1], 'r' .. path, ARGV[i + 2])
          i = i + 3
        end
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return 1
        """;

    private const string TakeSource = """
        local all = redis.call('HGETALL', KEYS[1])
        if #all > 0 then redis.call('DEL', KEYS[1]) end
        return all
        """;

    /// <summary>Adds one flush's counts: one pipelined script per publisher.</summary>
    public Task AddAsync(IEnumerable<IGrouping<string, KeyValuePair<ServedFile, Served>>> byPublisher)
    {
        var database = redis.Database;
        var calls = new List<Task>();
        foreach (var publisher in byPublisher)
        {
            var args = new List<RedisValue> { MaxPaths, (long)Lifetime.TotalMilliseconds };
            foreach (var (file, served) in publisher)
            {
                args.Add(file.Path);
                args.Add(served.Bytes);
                args.Add(served.Requests);
            }
            calls.Add(database.ScriptEvaluateAsync(AddSource, [Key(publisher.Key)], [.. args]));
        }
        return Task.WhenAll(calls);
    }

    /// <summary>Takes what boxes served of the publisher's files since it last took them.</summary>
    public async Task<List<ServedReport>> TakeAsync(string publisherId)
    {
        var result = (RedisResult[])(await redis.Database.ScriptEvaluateAsync(TakeSource, [Key(publisherId)]))!;
        var bytes = new Dictionary<string, long>(StringComparer.Ordinal);
        var requests = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < result.Length; i += 2)
        {
            var field = (string)result[i]!;
            if (field.Length == 0 || !long.TryParse((string?)result[i + 1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
                continue;
            (field[0] == 'b' ? bytes : requests)[field[1..]] = value;
        }
        return bytes.Select(b => new ServedReport { Path = b.Key, Bytes = b.Value, Requests = requests.GetValueOrDefault(b.Key) }).ToList();
    }

    private RedisKey Key(string publisherId) => redis.Keys.BucketOfPublisher(publisherId).Served(publisherId);
}
