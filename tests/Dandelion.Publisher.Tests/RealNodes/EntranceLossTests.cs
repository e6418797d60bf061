using System.Net;
using System.Net.Http.Json;
using Dandelion.Publisher.Api;
using Dandelion.Testing;

namespace Dandelion.Publisher.Tests.RealNodes;

/// <summary>
/// Two real entrances on one real Redis, a real box, the publisher: an entrance dying is an
/// entrance's business. The publisher's session to the box is its own (no entrance in the
/// middle), so it stays open, viewers keep being sent to the box, and SEARCH goes on at the
/// entrance that lives.
/// </summary>
public sealed class EntranceLossTests : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private readonly List<Dandelion.Testing.NodeProcess> _nodes = [];
    private PublisherHost? _publisher;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_publisher is not null)
            await _publisher.DisposeAsync();
        foreach (var node in _nodes)
            await node.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task When_an_entrance_dies_the_publisher_keeps_its_box_session_and_viewers_keep_being_served()
    {
        var prefix = "entrance-loss-" + Guid.NewGuid().ToString("n")[..8];
        var ports = new[] { FreePort.Next(), FreePort.Next() };
        string Url(int port) => $"ws://127.0.0.1:{port}/dandelion/ws/";
        foreach (var port in ports)
        {
            _nodes.Add(await Dandelion.Testing.NodeProcess.StartEntranceAsync(_redis.ConnectionString, prefix, new Dictionary<string, string>
            {
                ["Entrance:PublicUrl"] = Url(port),
                ["Entrance:Peers:0"] = Url(ports.Single(p => p != port)),
                ["Entrance:Heartbeat"] = "00:00:01",
                ["Entrance:Expiry"] = "00:00:05",
            }, port));
        }
        var (dying, living) = (_nodes[0], _nodes[1]);
        // Told of the dying entrance only: it learns the other from ENTRANCE_URLS.
        var box = await Dandelion.Testing.NodeProcess.StartBoxAsync([dying.WebSocket], new Dictionary<string, string> { ["Box:Heartbeat"] = "00:00:01" });
        _nodes.Add(box);

        _publisher = await PublisherHost.StartAsync([Url(ports[0]), Url(ports[1])], new Dictionary<string, string?>
        {
            ["Publisher:Boxes"] = "1",
            ["Publisher:Replication"] = "1",
            ["Publisher:SearchInterval"] = "00:00:01",
        });
        var session = await Eventually.Until(async () => (await BoxesAsync()).SingleOrDefault(), "a box session");

        var before = _publisher.WriteFile("loss/before.bin", 300_000);
        Assert.Equal(HttpStatusCode.Accepted, (await _publisher.Viewer.PostAsJsonAsync("api/files", new { path = before, ttl = 300 })).StatusCode);
        await Eventually.Until(async () => await _publisher.StatusAsync("/pub/loss/before.bin") is { Holders.Count: 1 } s ? s : null, "the file placed");

        await dying.KillAsync();

        // Over several heartbeats and the dead entrance's expiry: the same session, and every
        // viewer sent to the box, which serves the file.
        using var plain = new HttpClient();
        var bytes = await File.ReadAllBytesAsync(before);
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(8);
        while (DateTime.UtcNow < until)
        {
            var open = Assert.Single(await BoxesAsync());
            Assert.Equal((session.Id, session.OpenedAt), (open.Id, open.OpenedAt));
            using var media = await _publisher.Viewer.GetAsync("media/pub/loss/before.bin");
            Assert.Equal(HttpStatusCode.Redirect, media.StatusCode);
            Assert.Equal(bytes, await plain.GetByteArrayAsync(media.Headers.Location));
            await Task.Delay(500);
        }

        // New files still go out: SEARCH is answered by the entrance that lives.
        var after = _publisher.WriteFile("loss/after.bin", 100_000);
        Assert.Equal(HttpStatusCode.Accepted, (await _publisher.Viewer.PostAsJsonAsync("api/files", new { path = after, ttl = 300 })).StatusCode);
        var placed = await Eventually.Until(async () => await _publisher.StatusAsync("/pub/loss/after.bin") is { Holders.Count: 1 } s ? s : null, "the next file placed");
        Assert.Equal(session.Id, placed.Holders.Single().Box);
        Assert.False(living.HasExited);
    }

    private async Task<List<BoxView>> BoxesAsync() => (await _publisher!.Viewer.GetFromJsonAsync<List<BoxView>>("api/boxes"))!;
}
