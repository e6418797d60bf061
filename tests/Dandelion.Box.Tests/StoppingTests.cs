using System.Diagnostics;
using System.Net.WebSockets;
using Dandelion.Testing;

namespace Dandelion.Box.Tests;

/// <summary>A box asked to stop leaves the network at once, with publishers connected.</summary>
public sealed class StoppingTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("dandelion-box-stop-").FullName;
    private readonly string _entranceData = Directory.CreateTempSubdirectory("dandelion-entrance-").FullName;
    private readonly string _prefix = "stop-" + Guid.NewGuid().ToString("N")[..8];
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        Directory.Delete(_data, recursive: true);
        Directory.Delete(_entranceData, recursive: true);
    }

    [Fact]
    public async Task Publishers_hear_going_away_new_files_are_refused_the_entrance_forgets_the_box_and_it_exits_promptly()
    {
        await using var entrance = EntranceHost.Start(_redis.ConnectionString, _prefix, _entranceData, FreePort.Next());
        var box = BoxHost.Start(_data, new Dictionary<string, string?>
        {
            ["Box:Entrances:0"] = entrance.WebSocketUrl,
            ["Box:Heartbeat"] = "00:00:00.300",
        });
        var id = box.Id;
        await BoxHost.EventuallyAsync(async () => await entrance.BoxAsync(id) is not null, "the box registered");
        // One of ours, which reads, and an original one, which never reads after PUBLISH (so never answers a close).
        var (ours, _) = await TestPublisher.ConnectAsync(box, version: 2);
        var (original, _) = await TestPublisher.ConnectAsync(box, version: 1, id: "publisher-ffeeddccbbaa99887766554433221100");
        using (ours)
        using (original)
        {
            Assert.Equal("STORED", (await ours.PutAsync(TestPublisher.Version2Frame("/before.ts", 600, new byte[10]))).GetProperty("COMMAND").GetString());

            var clock = Stopwatch.StartNew();
            var stopping = box.DisposeAsync().AsTask();

            // Told at once that the box is going away.
            Assert.Null(await BoxHost.ReceiveJsonAsync(ours.Socket));
            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, ours.Socket.CloseStatus);
            Assert.Equal("box-stopping", ours.Socket.CloseStatusDescription);

            // A file sent now is not kept.
            try
            {
                await original.SendFrameAsync(TestPublisher.Version1Frame("/after.ts", 600, new byte[10]));
            }
            catch (WebSocketException)
            {
                // The box may already have cut the connection: refused all the same.
            }

            await stopping;
            clock.Stop();
            // Generous: the box stops in about 2 s at most; before, a connected publisher held it 30 s.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"the box took {clock.Elapsed} to stop");
        }
        Assert.True(File.Exists(Path.Combine(_data, "files", TestPublisher.DefaultId, "before.ts")));
        Assert.False(File.Exists(Path.Combine(_data, "files", "publisher-ffeeddccbbaa99887766554433221100", "after.ts")));
        // The entrance heard it leave: it forgets the box long before its 30 s expiry.
        await BoxHost.EventuallyAsync(async () => await entrance.BoxAsync(id) is null, "the entrance forgot the box", TimeSpan.FromSeconds(15));
    }
}
