using Dandelion.Entrance.Boxes;
using Dandelion.Entrance.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Dandelion.Entrance.Tests.Integration;

/// <summary>Three entrances on a real Redis Cluster (3 masters, 3 replicas): interchangeable, sharded.</summary>
public sealed class ClusterTests(ClusterFixture redis) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Boxes_on_different_entrances_are_found_by_every_entrance_and_commands_reach_them_across_entrances()
    {
        var prefix = RedisFixture.NewPrefix();
        await using var a = EntranceApp.Start(redis.ConnectionString, prefix);
        await using var b = EntranceApp.Start(redis.ConnectionString, prefix);
        await using var c = EntranceApp.Start(redis.ConnectionString, prefix);
        EntranceApp[] entrances = [a, b, c];

        // Twelve boxes, four per entrance, their keys on all three masters.
        var boxes = new List<(string Id, Peer Session)>();
        try
        {
            for (var i = 0; i < 12; i++)
            {
                var id = ClusterFixture.BoxOnMaster(i % 3);
                var session = await Peer.ConnectAsync(entrances[i / 4].WebSocket);
                await session.SendAsync(Messages.V2Exchange(id, 1));
                Assert.Equal("ACCEPTED", (string?)(await session.ReceiveAsync())["MESSAGE"]);
                boxes.Add((id, session));
            }

            foreach (var entrance in entrances)
            {
                await Eventually.MatchAsync(() => entrance.SearchAsync(Messages.V2Search(Messages.NewPublisherId(), count: 100)),
                    reply => boxes.All(box => reply["BOX_SET"]!.AsObject().ContainsKey(box.Id)), "every entrance to offer every box");
            }

            // An operator asks C to drain a box whose session A holds: A passes it on, and nobody offers it.
            using (var response = await c.Client.PostAsync($"/api/boxes/{boxes[0].Id}/drain", null))
            {
                var accepted = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>(response.Content);
                Assert.Equal(1, (long?)accepted!["entrancesReached"]);
            }
            Assert.Equal("DRAIN", (string?)(await boxes[0].Session.ReceiveAsync())["COMMAND"]);
            foreach (var entrance in entrances)
            {
                await Eventually.MatchAsync(() => entrance.SearchAsync(Messages.V2Search(Messages.NewPublisherId(), count: 100)),
                    reply => !reply["BOX_SET"]!.AsObject().ContainsKey(boxes[0].Id), "the drained box to leave every entrance's answers");
            }

            // Each master holds keys of this test: heartbeats spread over them all.
            using var admin = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
            foreach (var master in admin.GetServers().Where(s => !s.IsReplica && s.IsConnected))
                Assert.NotEmpty(await master.KeysAsync(pattern: prefix + ":*").Take(1).ToListAsync());
        }
        finally
        {
            foreach (var (_, session) in boxes)
                await session.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_entrance_killed_leaves_its_boxes_served_by_the_others_they_learnt_from_entrance_urls()
    {
        var prefix = RedisFixture.NewPrefix();
        var ports = Enumerable.Range(0, 3).Select(_ => Dandelion.Testing.FreePort.Next()).ToArray();
        string Url(int port) => $"ws://127.0.0.1:{port}/dandelion/ws/";
        var entrances = new List<Dandelion.Testing.NodeProcess>();
        var boxes = new List<Dandelion.Testing.NodeProcess>();
        try
        {
            foreach (var port in ports)
            {
                var settings = new Dictionary<string, string>
                {
                    ["Entrance:PublicUrl"] = Url(port),
                    ["Entrance:Heartbeat"] = "00:00:01",
                    ["Entrance:OperatorKey"] = EntranceApp.OperatorKey,
                };
                var i = 0;
                foreach (var peer in ports.Where(p => p != port))
                    settings[$"Entrance:Peers:{i++}"] = Url(peer);
                entrances.Add(await Dandelion.Testing.NodeProcess.StartEntranceAsync(redis.ConnectionString, prefix, settings, port));
            }
            // A box told of the first entrance only learns the others from its ENTRANCE_URLS.
            for (var i = 0; i < 1; i++)
                boxes.Add(await Dandelion.Testing.NodeProcess.StartBoxAsync([entrances[0].WebSocket], new Dictionary<string, string> { ["Box:Heartbeat"] = "00:00:01" }));
            using var first = OperatorClient(entrances[1].Http);
            var ids = await Eventually.MatchAsync(async () => await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>(first, "/api/boxes"),
                listed => listed!.Count == boxes.Count, "the box to register");
            var boxIds = ids!.Select(b => (string)b!["id"]!).ToList();
            foreach (var id in boxIds)
                await Eventually.MatchAsync(() => OpenSessionsAsync(first, id), open => open == 3, "each box to hold a session with every entrance");

            await entrances[0].KillAsync();

            // The others serve them, and the dead entrance's sessions lapse with their expiry.
            foreach (var survivor in entrances.Skip(1))
            {
                using var client = OperatorClient(survivor.Http);
                foreach (var id in boxIds)
                    await Eventually.MatchAsync(() => OpenSessionsAsync(client, id), open => open == 2, "the box to be held by the two live entrances");
                await using var publisher = await Peer.ConnectAsync(survivor.WebSocket);
                await publisher.SendAsync(Messages.V2Search(Messages.NewPublisherId()));
                var set = (await publisher.ReceiveAsync())["BOX_SET"]!.AsObject();
                Assert.All(boxIds, id => Assert.True(set.ContainsKey(id)));
            }
        }
        finally
        {
            foreach (var node in boxes.Concat(entrances))
                await node.DisposeAsync();
        }
    }

    // The operator API wants the operator key.
    private static HttpClient OperatorClient(Uri entrance) => new()
    {
        BaseAddress = entrance,
        DefaultRequestHeaders = { Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", EntranceApp.OperatorKey) },
    };

    private static async Task<long?> OpenSessionsAsync(HttpClient entrance, string boxId)
    {
        using var response = await entrance.GetAsync($"/api/boxes/{boxId}");
        if (!response.IsSuccessStatusCode)
            return null;
        var detail = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>(response.Content);
        return (long?)detail!["openSessions"];
    }

    [Fact]
    public async Task The_sweep_runs_on_one_entrance_at_a_time_and_moves_when_that_one_goes()
    {
        var prefix = RedisFixture.NewPrefix();
        // The lease lasts one heartbeat, renewed every third. A loaded machine's stall may pass it from
        // one entrance to another (legitimately): "one at a time" is that no lease term, named by its
        // fencing token, is ever swept in by two entrances.
        var fast = new Dictionary<string, string?>
        {
            ["Entrance:Heartbeat"] = "00:00:02",
            ["Entrance:Expiry"] = "00:00:04",
            // The silent box below speaks version 1: kept for Version1Expiry (120 s by default), not Expiry.
            ["Entrance:Version1Expiry"] = "00:00:04",
        };
        var entrances = new List<EntranceApp>();
        try
        {
            for (var i = 0; i < 3; i++)
                entrances.Add(EntranceApp.Start(redis.ConnectionString, prefix, fast));
            static BoxSweeper Sweeper(EntranceApp app) => app.Services.GetServices<IHostedService>().OfType<BoxSweeper>().Single();
            static long Passes(EntranceApp app) => Sweeper(app).Passes;

            await Eventually.MatchAsync(() => Task.FromResult(entrances.Sum(Passes)), total => total >= 12, "twelve sweep passes");
            var terms = entrances.Select(e => Sweeper(e).Terms).ToList();
            var shared = terms.SelectMany((t, i) => terms.Skip(i + 1).SelectMany(other => t.Intersect(other))).ToList();
            Assert.True(shared.Count == 0, $"lease terms swept in by two entrances: {string.Join(", ", shared)} (terms per entrance: {string.Join(" | ", terms.Select(t => string.Join(",", t)))})");

            // The one sweeping goes: another takes the lease and sweeps.
            var holder = entrances.MaxBy(e => Sweeper(e).Terms.DefaultIfEmpty().Max())!; // the newest term's
            await holder.DisposeAsync();
            entrances.Remove(holder);
            var before = entrances.Sum(Passes);
            await Eventually.MatchAsync(() => Task.FromResult(entrances.Sum(Passes)), total => total >= before + 3, "another entrance to sweep");

            // And a silent box is still swept, once.
            var quiet = ClusterFixture.BoxOnMaster(1);
            await entrances[0].ExchangeOnceAsync(Messages.V1Exchange(quiet));
            var gone = await Eventually.MatchAsync(() => entrances[1].GoneAsync(), g => g.Any(e => (string?)e!["ID"] == quiet), "the silent box to be swept");
            Assert.Single(gone, e => (string?)e!["ID"] == quiet && (string?)e["REASON"] == "expired");
        }
        finally
        {
            foreach (var entrance in entrances)
                await entrance.DisposeAsync();
        }
    }
}
