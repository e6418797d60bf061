using System.Text.Json.Nodes;
using Dandelion.Entrance.Tests.Support;

namespace Dandelion.Entrance.Tests.Integration;

/// <summary>
/// What boxes served of a publisher's files reaches that publisher once, in its SEARCH reply's
/// SERVED: counted from the traffic entries the box's mark lets through, 2xx answers only, on a
/// real Redis.
/// </summary>
public sealed class ServedTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Served_bytes_reach_the_publisher_once_and_a_resent_or_failed_entry_adds_nothing()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix());
        var publisher = Messages.NewPublisherId();
        var other = Messages.NewPublisherId();
        var boxId = Messages.NewBoxId();
        await using var box = await Peer.ConnectAsync(app.WebSocket);

        await box.SendAsync(WithTraffic(Messages.V2Exchange(boxId, 1),
            (1, $"/{publisher}/live/a%20b.ts", 200, 1000),
            (2, $"/{publisher}/live/c.ts", 404, 150),      // the box had no such file: nothing delivered
            (3, $"/{publisher}/live/c.ts", 206, 300),      // a range: what was sent counts
            (4, $"/{other}/x.ts", 200, 77),                // another publisher's file
            (5, "/not-a-publisher/x.ts", 200, 5)));        // no one's
        Assert.Equal(5, (long?)(await box.ReceiveAsync())["TRAFFIC_ACK"]);
        // The box did not hear the ack and sends entries 3 and 4 again, with a new one: only 6 counts.
        await box.SendAsync(WithTraffic(Messages.V2Exchange(boxId, 2),
            (3, $"/{publisher}/live/c.ts", 206, 300),
            (4, $"/{other}/x.ts", 200, 77),
            (6, $"/{publisher}/live/a%20b.ts", 200, 1000)));
        Assert.Equal(6, (long?)(await box.ReceiveAsync())["TRAFFIC_ACK"]);
        // An original box sends each entry twice under one key: counted once.
        var original = Messages.NewBoxId();
        await app.ExchangeOnceAsync(Messages.V1Exchange(original, traffic: ("log-01", $"/{publisher}/live/c.ts", "20")));
        await app.ExchangeOnceAsync(Messages.V1Exchange(original, traffic: ("log-01", $"/{publisher}/live/c.ts", "20")));

        // A SEARCH that does not ask gets no SERVED, and takes nothing.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False((await app.SearchAsync(Messages.V2Search(publisher))).ContainsKey("SERVED"));

        var served = new Dictionary<string, (long Bytes, long Requests)>();
        await Eventually.MatchAsync(async () =>
        {
            AddServed(served, await app.SearchAsync(AskingServed(publisher)));
            return served.GetValueOrDefault("/live/c.ts").Bytes >= 320 && served.ContainsKey("/live/a b.ts");
        }, done => done, "the served counts in a SEARCH reply");
        // A later SEARCH gets nothing more: each count is handed out once.
        await Task.Delay(TimeSpan.FromSeconds(2));
        AddServed(served, await app.SearchAsync(AskingServed(publisher)));

        Assert.Equal((2000, 2), served["/live/a b.ts"]);
        Assert.Equal((320, 2), served["/live/c.ts"]);
        Assert.Equal(2, served.Count);
        var theOther = new Dictionary<string, (long Bytes, long Requests)>();
        await Eventually.MatchAsync(async () =>
        {
            AddServed(theOther, await app.SearchAsync(AskingServed(other)));
            return theOther.Count > 0;
        }, done => done, "the other publisher's served counts");
        Assert.Equal((77, 1), theOther["/x.ts"]);
        // A version 1 SEARCH has no SERVED, even asking.
        var version1 = Messages.V1Search(publisher);
        version1["SERVED"] = true;
        Assert.False((await app.SearchAsync(version1)).ContainsKey("SERVED"));
    }

    private static JsonObject AskingServed(string publisherId)
    {
        var search = Messages.V2Search(publisherId);
        search["SERVED"] = true;
        return search;
    }

    private static JsonObject WithTraffic(JsonObject exchange, params (long Id, string Url, int Status, long Size)[] entries)
    {
        var traffic = new JsonArray();
        foreach (var (id, url, status, size) in entries)
            traffic.Add(new JsonObject { ["ID"] = id, ["URL"] = url, ["STATUS"] = status, ["SIZE"] = size, ["DATETIME"] = "01/Dec/2026:01:00:00 +0000" });
        exchange["TRAFFIC"] = traffic;
        return exchange;
    }

    private static void AddServed(Dictionary<string, (long Bytes, long Requests)> into, JsonObject reply)
    {
        if (reply["SERVED"] is not JsonArray served)
            return;
        foreach (var file in served)
        {
            var path = (string)file!["PATH"]!;
            var was = into.GetValueOrDefault(path);
            into[path] = (was.Bytes + (long)file["BYTES"]!, was.Requests + (long)file["REQUESTS"]!);
        }
    }
}
