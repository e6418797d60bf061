using System.Text.Json;
using Dandelion.Testing;

namespace Dandelion.Box.Tests;

/// <summary>
/// The window before a box can check grants: a box with an entrance to hear from takes no
/// file until it has heard one, and a restarted box keeps the grant key it was given.
/// </summary>
public sealed class GrantKeyTests : IAsyncLifetime
{
    private EntranceRig _rig = null!;

    public async Task InitializeAsync() => _rig = await EntranceRig.StartAsync("grantkey");

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    private BoxHost StartBox() => BoxHost.Start(_rig.BoxData, new Dictionary<string, string?>
    {
        ["Box:Entrances:0"] = $"ws://127.0.0.1:{_rig.EntrancePort}/dandelion/ws/",
        ["Box:Heartbeat"] = "00:00:00.300",
    });

    private static async Task<string?> PublishCodeAsync(BoxHost box)
    {
        using var socket = await box.ConnectAsync();
        await BoxHost.SendTextAsync(socket, JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["ID"] = TestPublisher.DefaultId, ["IP"] = "127.0.0.1", ["TYPE"] = "PUBLISHER", ["COMMAND"] = "PUBLISH", ["VERSION"] = 2,
        }));
        var reply = await BoxHost.ReceiveJsonAsync(socket);
        Assert.NotNull(reply);
        return reply.Value.TryGetProperty("CODE", out var code) ? code.GetString() : reply.Value.GetProperty("MESSAGE").GetString();
    }

    [Fact]
    public async Task A_box_takes_no_publisher_before_it_heard_its_entrance_and_keeps_the_grant_key_across_a_restart()
    {
        // No entrance answers yet: the box cannot tell a granted publisher from anyone.
        await using (var waiting = StartBox())
        {
            Assert.Equal("unavailable", await PublishCodeAsync(waiting));
            Assert.Empty(Directory.EnumerateFileSystemEntries(waiting.StorageDirectory, "*", SearchOption.AllDirectories));
        }

        // Its entrance answers with a grant key: an ungranted publisher is refused, the granted one accepted.
        var entrance = _rig.StartEntrance();
        var box = StartBox();
        await BoxHost.EventuallyAsync(async () => await entrance.BoxAsync(box.Id) is not null, "the box registered");
        Assert.Equal("unauthorized", await PublishCodeAsync(box));
        var (granted, hello) = await TestPublisher.ConnectAsync(box, version: 2);
        granted.Dispose();
        Assert.Equal("ACCEPTED", hello.GetProperty("MESSAGE").GetString());

        // Restarted while its entrance is down: the key it was given still holds.
        await box.DisposeAsync();
        await entrance.DisposeAsync();
        await using var restarted = StartBox();
        Assert.Equal("unauthorized", await PublishCodeAsync(restarted));
    }
}
