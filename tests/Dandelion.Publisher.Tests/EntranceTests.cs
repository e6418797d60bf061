using System.Text.Json;
using Dandelion.Publisher.Entrances;
using Dandelion.Publisher.Tests.Peers;
using Dandelion.Shared.Protocol;

namespace Dandelion.Publisher.Tests;

public sealed class EntranceTests
{
    [Fact]
    public void A_version_1_answer_is_ranked_from_BOX_SET_and_boxes_without_CONNECT_WS_are_left_out()
    {
        var json = """
            {"ID": "entrance-1", "TYPE": "ENTRANCE", "IP": "1.2.3.4", "PORT": "8000", "COMMAND": "SEARCH",
             "BOX_SET": {
               "box-a": {"ID": "box-a", "IP": "5.6.7.8", "PORT": "17170", "TYPE": "BOX", "COMMAND": "EXCHANGE", "CONNECT_WS": "http://5.6.7.8:17170/dandelion/box-a/ws/", "CPU-NUM": 4},
               "box-b": {"ID": "box-b", "IP": "5.6.7.9", "PORT": "17170", "TYPE": "BOX", "COMMAND": "EXCHANGE"},
               "box-c": {"ID": "box-c", "CONNECT_WS": "ws://5.6.7.10:8080/dandelion/box-c/ws/", "HTTP_URL": "http://5.6.7.10:8081/",
                         "GEO": {"KNOWN": true, "LAT": 48.8, "LON": 2.3}}
             }}
            """;
        var reply = JsonSerializer.Deserialize(json, ProtocolJsonContext.Default.SearchReply)!;
        var ranked = EntranceClient.Rank(reply);

        Assert.Equal(["box-a", "box-c"], ranked.Select(b => b.Id));
        Assert.Equal("http://5.6.7.8:17170/dandelion/box-a/ws/", ranked[0].ConnectWs);
        Assert.Null(ranked[0].HttpUrl);
        Assert.Equal("http://5.6.7.10:8081/", ranked[1].HttpUrl);
        Assert.Equal(48.8, ranked[1].Geo!.Latitude);
    }

    [Fact]
    public async Task When_the_entrance_refuses_the_publisher_backs_off_instead_of_searching_in_a_tight_loop()
    {
        await using var entrance = await TestEntrance.StartAsync();
        entrance.Refuse = true;
        await using var publisher = await PublisherHost.StartAsync([entrance.Url], new Dictionary<string, string?> { ["Publisher:SearchInterval"] = "00:00:01" });
        await Eventually.Until(() => entrance.Searches >= 2, "a second SEARCH");
        var first = entrance.Searches;
        await Task.Delay(TimeSpan.FromSeconds(4));
        // Backoff from 1 s doubling with jitter: a handful in 4 s; a tight loop would make thousands.
        Assert.InRange(entrance.Searches - first, 0, 8);
    }
}
