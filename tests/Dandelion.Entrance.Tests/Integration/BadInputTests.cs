using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Dandelion.Entrance.Tests.Support;
using Dandelion.Shared.Auth;

namespace Dandelion.Entrance.Tests.Integration;

public sealed class BadInputTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const string Box = "box-0123456789abcdef0123456789abcdef";

    public enum Frame { Text, Binary }

    public static TheoryData<string, Frame, string, string, WebSocketCloseStatus> BadInputs() => new()
    {
        // Not JSON.
        { "garbage", Frame.Text, "{{{ nope", "bad-json", WebSocketCloseStatus.InvalidPayloadData },
        // A JSON string, not an object.
        { "string", Frame.Text, "\"EXCHANGE\"", "bad-json", WebSocketCloseStatus.InvalidPayloadData },
        // The original's own rule: PORT required from a box.
        { "no port", Frame.Text, $$"""{"ID":"{{Box}}","IP":"1.2.3.4","TYPE":"BOX","COMMAND":"EXCHANGE"}""", "missing-field", WebSocketCloseStatus.PolicyViolation },
        // Empty IP.
        { "empty ip", Frame.Text, $$"""{"ID":"{{Box}}","IP":"","PORT":"1","TYPE":"BOX","COMMAND":"EXCHANGE"}""", "missing-field", WebSocketCloseStatus.PolicyViolation },
        // Unknown TYPE.
        { "unknown type", Frame.Text, $$"""{"ID":"{{Box}}","IP":"1.2.3.4","PORT":"1","TYPE":"ROUTER","COMMAND":"EXCHANGE"}""", "unknown-type", WebSocketCloseStatus.PolicyViolation },
        // Unknown COMMAND.
        { "unknown command", Frame.Text, $$"""{"ID":"{{Box}}","IP":"1.2.3.4","PORT":"1","TYPE":"BOX","COMMAND":"REBOOT"}""", "unknown-command", WebSocketCloseStatus.PolicyViolation },
        // Over the 4 KiB limit these tests configure.
        { "too big", Frame.Text, "{\"PAD\":\"" + new string('x', 200_000) + "\"}", "too-big", WebSocketCloseStatus.MessageTooBig },
        // Files go to boxes, not entrances.
        { "binary", Frame.Binary, "<Dandelion>{}</Dandelion>abc", "binary-not-accepted", WebSocketCloseStatus.InvalidMessageType },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    [MemberData(nameof(Hostile.HostileMessageCorpus.Messages), MemberType = typeof(Hostile.HostileMessageCorpus), DisableDiscoveryEnumeration = true)]
    public async Task Bad_input_gets_the_error_reply_and_a_close_status_saying_why_and_others_keep_working(
        string because, Frame frame, string payload, string code, WebSocketCloseStatus status)
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix(), new Dictionary<string, string?>
        {
            ["Entrance:MaxMessageBytes"] = "4096",
        });
        // A session that is open throughout must not notice.
        await using var bystander = await Peer.ConnectAsync(app.WebSocket);
        var bystanderId = Messages.NewBoxId();
        await bystander.SendAsync(Messages.V2Exchange(bystanderId, 1));
        await bystander.ReceiveAsync();

        await using (var bad = await Peer.ConnectAsync(app.WebSocket))
        {
            if (frame == Frame.Text)
                await bad.SendTextAsync(payload);
            else
                await bad.SendBinaryAsync(Encoding.UTF8.GetBytes(payload));
            var (messages, closed) = await bad.ReceiveUntilCloseAsync();
            var error = Assert.Single(messages);
            Assert.Equal(code, (string?)error["CODE"]);
            Assert.StartsWith("entrance-", (string?)error["ID"]);
            Assert.Equal("ENTRANCE", (string?)error["TYPE"]);
            Assert.False(string.IsNullOrEmpty((string?)error["ERROR"]), because);
            Assert.Equal(status, closed);
        }

        // Nothing was stored, and everyone else is still served.
        Assert.Equal(1, (long?)(await app.StatsAsync())["boxesLive"]);
        await bystander.SendAsync(Messages.V2Exchange(bystanderId, 2));
        Assert.Equal(2, (long?)(await bystander.ReceiveAsync())["SEQ"]);
        Assert.Equal("ACCEPTED", (string?)(await app.ExchangeOnceAsync(Messages.V1Exchange(Messages.NewBoxId())))["MESSAGE"]);
    }

    [Fact]
    public async Task A_version_1_format_error_keeps_the_original_wording()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix());
        await using var bad = await Peer.ConnectAsync(app.WebSocket);
        await bad.SendAsync(new JsonObject { ["ID"] = Box, ["TYPE"] = "BOX", ["COMMAND"] = "EXCHANGE" });
        var (messages, _) = await bad.ReceiveUntilCloseAsync();
        var error = Assert.Single(messages);
        Assert.StartsWith("Wrong format in your message.", (string?)error["ERROR"]);
        Assert.Equal("EXCHANGE", (string?)error["COMMAND"]);
    }

    [Fact]
    public async Task A_flood_of_connections_from_one_address_is_refused_past_the_limit()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix(), new Dictionary<string, string?>
        {
            ["Entrance:MaxConnectionsPerAddress"] = "3",
            ["Entrance:GeoIp:TrustedProxies:0"] = "127.0.0.1",
        });
        var held = new List<Peer>();
        for (var i = 0; i < 3; i++)
            held.Add(await Peer.ConnectAsync(app.WebSocket, PublicAddresses.Brazil));

        await using (var flood = await Peer.ConnectAsync(app.WebSocket, PublicAddresses.Brazil))
        {
            var (messages, status) = await flood.ReceiveUntilCloseAsync();
            Assert.Equal("rate-limited", (string?)Assert.Single(messages)["CODE"]);
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        }

        // Another address is not affected.
        Assert.Equal("ACCEPTED", (string?)(await app.ExchangeOnceAsync(Messages.V1Exchange(Messages.NewBoxId()), PublicAddresses.Japan))["MESSAGE"]);

        // A held connection still works, and once one closes the address may connect again.
        await held[0].SendAsync(Messages.V1Exchange(Messages.NewBoxId()));
        Assert.Equal("ACCEPTED", (string?)(await held[0].ReceiveAsync())["MESSAGE"]);
        await held[0].ReceiveUntilCloseAsync();
        await held[0].DisposeAsync();
        var reply = await Eventually.MatchAsync(async () =>
        {
            await using var again = await Peer.ConnectAsync(app.WebSocket, PublicAddresses.Brazil);
            await again.SendAsync(Messages.V1Exchange(Messages.NewBoxId()));
            return (await again.ReceiveUntilCloseAsync()).Messages.Single();
        }, r => (string?)r["MESSAGE"] == "ACCEPTED", "the address to be let in again");
        foreach (var peer in held.Skip(1))
            await peer.DisposeAsync();
    }

    [Fact]
    public async Task With_a_secret_version_2_needs_the_node_token_and_grants_verify_with_the_grant_key()
    {
        const string secret = "correct horse battery staple";
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix(), new Dictionary<string, string?>
        {
            ["Entrance:Auth:Secret"] = secret,
            ["Entrance:Auth:AllowVersion1"] = "false",
        });
        var boxId = Messages.NewBoxId();

        foreach (var (because, token) in new[] { ("no token", (string?)Messages.NoToken), ("another node's token", NodeToken.Compute(secret, Messages.NewBoxId())) })
        {
            await using var refused = await Peer.ConnectAsync(app.WebSocket);
            await refused.SendAsync(Messages.V2Exchange(boxId, 1, token: token));
            var (messages, status) = await refused.ReceiveUntilCloseAsync();
            Assert.True("unauthorized" == (string?)Assert.Single(messages)["CODE"], because);
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        }

        await using (var v1 = await Peer.ConnectAsync(app.WebSocket))
        {
            await v1.SendAsync(Messages.V1Exchange(boxId));
            var (messages, _) = await v1.ReceiveUntilCloseAsync();
            Assert.Equal("unauthorized", (string?)Assert.Single(messages)["CODE"]);
        }
        Assert.Equal(0, (long?)(await app.StatsAsync())["boxesLive"]);

        await using var box = await Peer.ConnectAsync(app.WebSocket);
        await box.SendAsync(Messages.V2Exchange(boxId, 1, token: NodeToken.Compute(secret, boxId)));
        var accepted = await box.ReceiveAsync();
        Assert.Equal("ACCEPTED", (string?)accepted["MESSAGE"]);
        using var grantKey = PublishGrant.ImportPublicKey((string?)accepted["GRANT_KEY"]);
        Assert.NotNull(grantKey);

        var publisherId = Messages.NewPublisherId();
        var search = await app.SearchAsync(Messages.V2Search(publisherId, token: NodeToken.Compute(secret, publisherId)));
        var grant = (string?)search["GRANTS"]![boxId];
        Assert.True(PublishGrant.Verify(grantKey!, grant, publisherId, boxId, DateTimeOffset.UtcNow));
        Assert.False(PublishGrant.Verify(grantKey!, grant, Messages.NewPublisherId(), boxId, DateTimeOffset.UtcNow));
        // Bound to its box: worth nothing at another.
        Assert.False(PublishGrant.Verify(grantKey!, grant, publisherId, Messages.NewBoxId(), DateTimeOffset.UtcNow));
        // The stored box never keeps the token.
        Assert.False(search["BOX_SET"]![boxId]!.AsObject().ContainsKey("TOKEN"));
    }
}
