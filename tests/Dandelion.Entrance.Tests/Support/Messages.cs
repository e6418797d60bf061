using System.Text.Json.Nodes;
using Dandelion.Testing;

namespace Dandelion.Entrance.Tests.Support;

/// <summary>
/// Messages as real peers send them. A version 2 message carries the credential of its id for the
/// fixtures' secret (<see cref="TestCredentials"/>) unless given a token; <see cref="NoToken"/> sends none.
/// </summary>
public static class Messages
{
    /// <summary>As <c>token</c>: send no TOKEN at all.</summary>
    public const string NoToken = "";

    public static string NewBoxId() => "box-" + Guid.NewGuid().ToString("N");
    public static string NewPublisherId() => "publisher-" + Guid.NewGuid().ToString("N");

    /// <summary>An EXCHANGE exactly as the original Python box sends it: every value a string.</summary>
    public static JsonObject V1Exchange(string boxId, string ip = "127.0.0.1", params (string LogId, string Url, string Size)[] traffic)
    {
        var message = new JsonObject
        {
            ["ID"] = boxId,
            ["IP"] = ip,
            ["PORT"] = "17170",
            ["TYPE"] = "BOX",
            ["COMMAND"] = "EXCHANGE",
            ["CONNECT_WS"] = $"http://{ip}:17170/dandelion/{boxId}/ws/",
            ["CPU-HZ"] = "2394.454",
            ["CPU-NUM"] = "4",
            ["CPU-USR"] = "3.1",
            ["CPU-SYS"] = "1.2",
            ["CPU-NIC"] = "0.0",
            ["CPU-IDLE"] = "95.2",
            ["CPU-IO"] = "0.3",
            ["CPU-IRQ"] = "0.0",
            ["CPU-SIRQ"] = "0.2",
            ["LOADAVG-1"] = "0.52",
            ["LOADAVG-5"] = "0.48",
            ["LOADAVG-15"] = "0.40",
            ["MEM-TOTAL"] = "8046348",
            ["MEM-AVAIL"] = "6123400",
            ["DISK-TOTAL"] = "245107195904",
            ["DISK-AVAIL"] = "200000000000",
        };
        foreach (var (logId, url, size) in traffic)
        {
            message[$"{boxId}:TRAFFIC_FLOW:{logId}"] = new JsonObject
            {
                ["url"] = url,
                ["status"] = "200",
                ["size"] = size,
                ["datetime"] = "27/Sep/2017:03:20:10",
            };
        }
        return message;
    }

    /// <summary>A version 2 EXCHANGE: numbers as numbers, traffic as a list.</summary>
    public static JsonObject V2Exchange(string boxId, long seq, string ip = "127.0.0.1", long ceiling = 10_000_000, long used = 0,
        string state = "ACTIVE", string? token = null, params (long Id, long Size)[] traffic)
    {
        var message = V1Exchange(boxId, ip);
        message["VERSION"] = 2;
        message["SEQ"] = seq;
        message["HTTP_URL"] = $"http://{ip}:17171/";
        message["STORAGE-QUOTA"] = 10_000_000_000;
        message["STORAGE-USED"] = 1_000_000_000;
        message["FILES"] = 12;
        message["BANDWIDTH-CEILING"] = ceiling;
        message["BANDWIDTH-USED"] = used;
        message["STATE"] = state;
        AddToken(message, boxId, token);
        var entries = new JsonArray();
        foreach (var (id, size) in traffic)
            entries.Add(new JsonObject { ["ID"] = id, ["URL"] = "/p/seg.ts", ["STATUS"] = 200, ["SIZE"] = size, ["DATETIME"] = "27/Sep/2017:03:20:10 +0000" });
        message["TRAFFIC"] = entries;
        return message;
    }

    public static JsonObject V1Search(string publisherId, string ip = "127.0.0.1") => new()
    {
        ["ID"] = publisherId,
        ["IP"] = ip,
        ["TYPE"] = "PUBLISHER",
        ["COMMAND"] = "SEARCH",
    };

    public static JsonObject V2Search(string publisherId, int? count = null, double? lat = null, double? lon = null, string[]? exclude = null, string? token = null)
    {
        var message = V1Search(publisherId);
        message["VERSION"] = 2;
        if (count is not null)
            message["COUNT"] = count;
        if (lat is not null && lon is not null)
            message["LOCATION"] = new JsonObject { ["LAT"] = lat, ["LON"] = lon };
        if (exclude is not null)
            message["EXCLUDE"] = new JsonArray(exclude.Select(e => (JsonNode?)e).ToArray());
        AddToken(message, publisherId, token);
        return message;
    }

    private static void AddToken(JsonObject message, string id, string? token)
    {
        if (token != NoToken)
            message["TOKEN"] = token ?? TestCredentials.TokenFor(id);
    }
}
