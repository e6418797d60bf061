using System.Text.Json;
using Dandelion.Entrance.Redis;
using StackExchange.Redis;

namespace Dandelion.Entrance.Search;

/// <summary>
/// Keeps, per box, how it fared in recent SEARCHes (<c>P:box:{id}:search</c>), so the dashboard
/// can say why a box gets little traffic. One script call per candidate, sent fire-and-forget
/// after the reply: a SEARCH of COUNT n costs at most 8n pipelined calls, each on its box's slot.
/// </summary>
internal sealed class SearchRecorder(RedisConnection redis)
{
    private const string MarkSource = """
        redis.call('HINCRBY', KEYS[1], 'seen', 1)
        if ARGV[1] == '1' then redis.call('HINCRBY', KEYS[1], 'chosen', 1) end
        redis.call('HSET', KEYS[1], 'last', ARGV[2])
        redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
        return 1
        """;

    public void Record(IReadOnlyList<(string BoxId, SearchMark Mark)> marks)
    {
        var database = redis.Database;
        var lifetime = (long)RedisKeys.SearchRecordLifetime.TotalSeconds;
        foreach (var (boxId, mark) in marks)
        {
            var json = JsonSerializer.Serialize(mark, SearchMarkJsonContext.Default.SearchMark);
            _ = database.ScriptEvaluateAsync(MarkSource, [redis.Keys.SearchRecord(boxId)],
                [mark.Chosen ? "1" : "0", json, lifetime], CommandFlags.FireAndForget);
        }
    }
}
