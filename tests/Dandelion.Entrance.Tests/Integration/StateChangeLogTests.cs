using Dandelion.Entrance.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Dandelion.Entrance.Tests.Integration;

/// <summary>
/// What an operator reads at Information (docs/OPERATIONS.md, Logs): one line per state change
/// of a box (joined, draining, active again, left and why, an operator's command), nothing per heartbeat.
/// </summary>
public sealed class StateChangeLogTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task A_box_joining_draining_returning_and_leaving_is_one_line_each_and_its_heartbeats_none()
    {
        var logs = new LogCapture();
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix(), new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",   // as an operator runs it
        }, logs);
        var boxId = Messages.NewBoxId();
        // This box's state changes, as the exchange and session handlers write them (the relay's
        // "Relayed DRAIN to …" line for the operator's command is a line of its own).
        List<string> Lines() => logs.Lines
            .Where(l => l.Level == LogLevel.Information && l.Message.Contains($"({boxId})", StringComparison.Ordinal))
            .Select(l => l.Message).ToList();

        var box = await Peer.ConnectAsync(app.WebSocket);
        var seq = 0;
        async Task ExchangeAsync(string state = "ACTIVE")
        {
            await box.SendAsync(Messages.V2Exchange(boxId, ++seq, state: state));
            await box.ReceiveAsync();
        }

        await ExchangeAsync();
        for (var i = 0; i < 4; i++)
            await ExchangeAsync();
        Assert.Collection(Lines(), l => Assert.Contains($"({boxId}) joined: version 2", l));

        // The box drains itself (its owner's quiet hours), then comes back: one line each, however many heartbeats.
        await ExchangeAsync("DRAINING");
        await ExchangeAsync("DRAINING");
        await ExchangeAsync();
        await ExchangeAsync();

        // An operator's drain is the operator's command line; the box confirms it, then stops.
        using (var response = await app.Client.PostAsync($"/api/boxes/{boxId}/drain", null))
            Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("DRAIN", (string?)(await box.ReceiveAsync())["COMMAND"]);
        await ExchangeAsync("DRAINING");
        Assert.Single(logs.Lines, l => l.Level == LogLevel.Information && l.Message.StartsWith($"Operator sent DRAIN to box {boxId} ", StringComparison.Ordinal));

        await box.DisposeAsync();
        await Eventually.MatchAsync(() => Task.FromResult(string.Join(" | ", Lines())), l => l.Contains(" left: ", StringComparison.Ordinal), "the box's leaving to be logged");
        Assert.Collection(Lines(),
            l => Assert.Contains("joined", l),
            l => Assert.EndsWith("is draining: SEARCH no longer offers it.", l),
            l => Assert.EndsWith("is active again.", l),
            l => Assert.EndsWith("left: drained.", l));
    }
}
