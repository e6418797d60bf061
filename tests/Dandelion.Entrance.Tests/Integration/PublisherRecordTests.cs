using Dandelion.Entrance.Configuration;
using Dandelion.Entrance.History;
using Dandelion.Entrance.Publishers;
using Dandelion.Entrance.Redis;
using Dandelion.Entrance.Tests.Support;
using Dandelion.Shared.Protocol;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Dandelion.Entrance.Tests.Integration;

/// <summary>The dashboard's publisher records, written at most once a second per publisher, against a real Redis.</summary>
public sealed class PublisherRecordTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static readonly GeoLocation Berlin = new() { Known = true, Latitude = 52.52, Longitude = 13.40, Source = PlaceSources.Stated };

    [Fact]
    public async Task A_publisher_searching_often_is_recorded_once_a_second_and_loses_no_figure()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var options = Microsoft.Extensions.Options.Options.Create(new EntranceOptions { Redis = redis.ConnectionString, KeyPrefix = RedisFixture.NewPrefix() });
        using var connection = new RedisConnection(options);
        var registry = new PublisherRegistry(connection, new HistoryRecorder(connection, time, NullLogger<HistoryRecorder>.Instance), time,
            NullLogger<PublisherRegistry>.Instance);
        var id = Messages.NewPublisherId();
        var other = Messages.NewPublisherId();

        Assert.True(await registry.RecordAsync(Search(id, origin: 100), Berlin));
        time.Advance(TimeSpan.FromMilliseconds(400));
        Assert.False(await registry.RecordAsync(Search(id, origin: 150), Berlin));
        Assert.True(await registry.RecordAsync(Search(other, origin: 7), Berlin)); // each publisher has its own second
        Assert.Equal(100, await OriginBytesAsync(connection, id));

        time.Advance(TimeSpan.FromMilliseconds(600));
        Assert.True(await registry.RecordAsync(Search(id, origin: 200), Berlin));
        Assert.Equal(200, await OriginBytesAsync(connection, id)); // running totals: the skipped SEARCH's bytes are in this one
    }

    private static SearchRequest Search(string id, long origin) => new()
    {
        Id = id,
        Type = NodeTypes.Publisher,
        Command = Commands.Search,
        Streams = [new StreamReport { Name = "live", OriginBytes = origin, BoxBytes = 10 * origin }],
    };

    private static async Task<long> OriginBytesAsync(RedisConnection connection, string id) =>
        PublisherRegistry.Read(await connection.Database.StringGetAsync(connection.Keys.Publisher(id)))!.Streams.Single().OriginBytes;
}
