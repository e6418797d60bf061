using System.Text.Json;
using Dandelion.Publisher.Configuration;
using Dandelion.Publisher.Entrances;
using Dandelion.Publisher.Tests.Peers;
using Dandelion.Shared.Protocol;
using Microsoft.Extensions.Options;

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
    public void A_SEARCH_too_big_for_the_entrance_sheds_EXCLUDE_first_then_STREAMS_until_it_fits()
    {
        var client = new EntranceClient(Options.Create(new PublisherOptions()), new PublisherIdentity("publisher-" + new string('a', 32)), TimeProvider.System);
        var request = new SearchRequest
        {
            Command = Commands.Search,
            Exclude = Enumerable.Range(0, 200).Select(i => $"box-{i:D32}").ToList(),
            Name = "caster",
            Streams = Enumerable.Range(0, 500).Select(i => new StreamReport { Name = $"stream-{i}", OriginBytes = i, BoxBytes = i }).ToList(),
        };
        const int limit = 8 * 1024;

        var sent = JsonSerializer.Deserialize(client.Fit(request, limit), ProtocolJsonContext.Default.SearchRequest)!;
        Assert.True(client.Fit(request, limit).Length <= limit);
        Assert.Empty(sent.Exclude!);
        Assert.InRange(sent.Streams!.Count, 1, 499);
        Assert.Equal("caster", sent.Name);

        // Room for everything: nothing is shed.
        var whole = JsonSerializer.Deserialize(client.Fit(request, 1 << 20), ProtocolJsonContext.Default.SearchRequest)!;
        Assert.Equal(200, whole.Exclude!.Count);
        Assert.Equal(500, whole.Streams!.Count);
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
