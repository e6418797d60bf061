using System.Text.Json;
using StackExchange.Redis;

namespace Dandelion.Box.Tests;

/// <summary>
/// What the original does with a message it keeps: one HMSET of its keys into a Redis hash
/// (aioredis), where a value must be a string or a number. A nested object, a list, a boolean
/// or null raises <c>TypeError</c> there, and the original loses the whole message; here it fails the test.
/// </summary>
internal static class OriginalHash
{
    public static async Task StoreAsync(IDatabase redis, string key, JsonElement message, params string[] except)
    {
        var fields = new List<HashEntry>();
        foreach (var property in message.EnumerateObject())
        {
            if (except.Contains(property.Name))
                continue;
            RedisValue value = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number => property.Value.GetRawText(),
                _ => throw new InvalidOperationException(
                    $"TypeError in the original's HMSET: '{property.Name}' is a {property.Value.ValueKind}, not a string or number"),
            };
            fields.Add(new HashEntry(property.Name, value));
        }
        await redis.HashSetAsync(key, [.. fields]);
    }

    /// <summary>
    /// The original's check of a URL it is to connect to: <c>http(s)://</c> with a dotted IPv4
    /// host or <c>localhost</c>; then aiohttp's <c>ws_connect</c> opens it as a WebSocket.
    /// </summary>
    public static Uri WebSocketUri(string? url)
    {
        Assert.NotNull(url);
        var uri = new Uri(url!);
        Assert.True(uri.Scheme is "http" or "https", $"the original takes only http(s):// here, not {url}");
        Assert.True(uri.Host == "localhost" || System.Text.RegularExpressions.Regex.IsMatch(uri.Host, @"^\d{1,3}(\.\d{1,3}){3}$"),
            $"the original takes only a dotted IPv4 or localhost here, not {uri.Host}");
        return new UriBuilder(uri) { Scheme = uri.Scheme == "https" ? "wss" : "ws" }.Uri;
    }
}
