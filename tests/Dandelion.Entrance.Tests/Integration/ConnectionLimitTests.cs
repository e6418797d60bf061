using System.Net.WebSockets;
using Dandelion.Entrance.Tests.Support;

namespace Dandelion.Entrance.Tests.Integration;

/// <summary>
/// The entrance's WebSockets against peers that hold a socket and say nothing: the first
/// message and silence have time limits, a slot held so is given back, and replies tell a
/// version 2 peer the largest message it may send.
/// </summary>
public sealed class ConnectionLimitTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    // Each test shortens only the limit it is about: on a loaded machine a peer may take seconds to say its first word.
    private EntranceApp Start(params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?> { ["Entrance:GeoIp:TrustedProxies:0"] = "127.0.0.1" };
        foreach (var (key, value) in settings)
            all[key] = value;
        return EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix(), all);
    }

    [Fact]
    public async Task A_socket_that_sends_nothing_is_closed_after_the_first_message_timeout()
    {
        await using var app = Start(("Entrance:FirstMessageTimeout", "00:00:02"));
        await using var silent = await Peer.ConnectAsync(app.WebSocket);
        var (messages, status) = await silent.ReceiveUntilCloseAsync();
        Assert.Equal("timeout", (string?)Assert.Single(messages)["CODE"]);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
    }

    [Fact]
    public async Task A_box_session_that_goes_silent_is_closed_after_the_idle_timeout_and_the_box_forgotten()
    {
        await using var app = Start(("Entrance:IdleTimeout", "00:00:03"));
        var boxId = Messages.NewBoxId();
        await using var box = await Peer.ConnectAsync(app.WebSocket);
        await box.SendAsync(Messages.V2Exchange(boxId, 1));
        Assert.Equal("ACCEPTED", (string?)(await box.ReceiveAsync())["MESSAGE"]);
        Assert.Equal(1, (long?)(await app.StatsAsync())["boxesLive"]);

        var (messages, status) = await box.ReceiveUntilCloseAsync();
        Assert.Equal("timeout", (string?)Assert.Single(messages)["CODE"]);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        // The session ended: a version 2 box whose last session closes is removed at once.
        await Eventually.MatchAsync(async () => (long?)(await app.StatsAsync())["boxesLive"], live => live == 0, "the silent box removed");
    }

    [Fact]
    public async Task Silent_sockets_hold_an_address_at_its_cap_only_until_their_first_message_timeout()
    {
        await using var app = Start(("Entrance:MaxConnectionsPerAddress", "2"), ("Entrance:FirstMessageTimeout", "00:00:02"));
        var first = await Peer.ConnectAsync(app.WebSocket, PublicAddresses.Germany);
        var second = await Peer.ConnectAsync(app.WebSocket, PublicAddresses.Germany);
        await using (var third = await Peer.ConnectAsync(app.WebSocket, PublicAddresses.Germany))
        {
            var (messages, status) = await third.ReceiveUntilCloseAsync();
            Assert.Equal("rate-limited", (string?)Assert.Single(messages)["CODE"]);
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        }

        // The two silent ones are timed out; once they have answered the close, the address is served again.
        foreach (var silent in new[] { first, second })
        {
            Assert.Equal("timeout", (string?)Assert.Single((await silent.ReceiveUntilCloseAsync()).Messages)["CODE"]);
            await silent.DisposeAsync();
        }
        var reply = await Eventually.MatchAsync(async () =>
        {
            await using var again = await Peer.ConnectAsync(app.WebSocket, PublicAddresses.Germany);
            await again.SendAsync(Messages.V1Exchange(Messages.NewBoxId()));
            return (await again.ReceiveUntilCloseAsync()).Messages.Single();
        }, r => (string?)r["MESSAGE"] == "ACCEPTED", "the address let in again");
        Assert.Equal("ACCEPTED", (string?)reply["MESSAGE"]);
    }

    [Fact]
    public async Task Version_2_replies_say_the_largest_message_accepted_and_version_1_replies_do_not()
    {
        await using var app = Start(("Entrance:MaxMessageBytes", "20000"));
        await using var box = await Peer.ConnectAsync(app.WebSocket);
        await box.SendAsync(Messages.V2Exchange(Messages.NewBoxId(), 1));
        Assert.Equal(20000, (long?)(await box.ReceiveAsync())["MAX_MESSAGE_BYTES"]);
        Assert.Equal(20000, (long?)(await app.SearchAsync(Messages.V2Search(Messages.NewPublisherId())))["MAX_MESSAGE_BYTES"]);

        Assert.False((await app.ExchangeOnceAsync(Messages.V1Exchange(Messages.NewBoxId()))).ContainsKey("MAX_MESSAGE_BYTES"));
        Assert.False((await app.SearchAsync(Messages.V1Search(Messages.NewPublisherId()))).ContainsKey("MAX_MESSAGE_BYTES"));
    }
}
