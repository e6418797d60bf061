using System.Text;
using Dandelion.Entrance.Redis;
using Dandelion.Entrance.Search;
using Dandelion.Shared.Protocol;

namespace Dandelion.Entrance.Tests.Unit;

public sealed class FeedChangeTests
{
    private static readonly StoredBox Box = new()
    {
        Id = "box-0123456789abcdef0123456789abcdef", Version = 2, ConnectWs = "http://203.0.113.7:8080/dandelion/box-0123456789abcdef0123456789abcdef/ws/",
        HttpUrl = "http://203.0.113.7:8081/", Geo = new GeoLocation { Known = true, Country = "DE", Latitude = 52, Longitude = 13 },
    };

    [Fact]
    public void An_upsert_carries_the_stored_box_and_where_its_urls_and_place_sit_in_it()
    {
        var message = Encoding.UTF8.GetBytes($"U 42 {Box.Id} 1700000000000 1 ").Concat(Box.ToUtf8()).ToArray();
        var change = FeedChange.Parse(message)!;
        Assert.Equal((FeedChange.Upserted, 42L, 1700000000000L, true), (change.Kind, change.Sequence, change.ExpiresAt, change.Draining));
        Assert.Equal([Box.Id], change.Ids);
        var record = change.Record!;
        Assert.Equal($"\"{Box.ConnectWs}\"", Encoding.UTF8.GetString(record.Value(record.ConnectWs)));
        Assert.Equal($"\"{Box.HttpUrl}\"", Encoding.UTF8.GetString(record.Value(record.HttpUrl)));
        Assert.StartsWith("{\"KNOWN\":true", Encoding.UTF8.GetString(record.Value(record.Geo)));
        Assert.Equal((52, 13), (record.Latitude, record.Longitude));
    }

    [Theory]
    [InlineData("A 7 box-1 1700000000000 0", 'A', 1)]
    [InlineData("G 8 box-1 box-2 box-3", 'G', 3)]
    [InlineData("D 9 box-1 1", 'D', 1)]
    public void Other_changes_parse(string message, char kind, int ids)
    {
        var change = FeedChange.Parse(Encoding.UTF8.GetBytes(message))!;
        Assert.Equal(kind, change.Kind);
        Assert.Equal(ids, change.Ids.Length);
    }

    [Theory]
    [InlineData("")]                               // nothing
    [InlineData("X 1 box-1")]                      // unknown kind
    [InlineData("A x box-1 1 0")]                  // number that is not one
    [InlineData("A 1 box-1")]                      // too short
    [InlineData("G 1")]                            // gone, but who
    [InlineData("U 1 box-1 1 0 {\"ID\":\"box-1\"}")] // a record without GEO is not a stored box
    [InlineData("U 1 box-1 1 0 not-json")]         // nor is this
    public void Anything_else_is_refused(string message) =>
        Assert.Null(FeedChange.Parse(Encoding.UTF8.GetBytes(message)));
}
