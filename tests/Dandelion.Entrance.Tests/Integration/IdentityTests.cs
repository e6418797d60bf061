using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Dandelion.Entrance.Tests.Support;
using Dandelion.Shared.Auth;
using Dandelion.Testing;

namespace Dandelion.Entrance.Tests.Integration;

/// <summary>
/// An identity belongs to its credential (issue 9): with the fixtures' defaults (auth on, version 1
/// let in), an impostor claiming an enrolled box's ID cannot take over its record, drain it, move its
/// figures or traffic mark, or hide its session from operator commands; a revoked credential ends
/// every open session of its id at once.
/// </summary>
public sealed class IdentityTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task A_version_1_exchange_cannot_take_over_move_the_figures_of_or_drain_a_credentialed_box()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix());
        var boxId = Messages.NewBoxId();
        await using var box = await Peer.ConnectAsync(app.WebSocket);
        await box.SendAsync(Messages.V2Exchange(boxId, 1, ip: PublicAddresses.UnitedStates, traffic: [(1, 100)]));
        Assert.Equal("ACCEPTED", (string?)(await box.ReceiveAsync())["MESSAGE"]);

        // The original's EXCHANGE, no token: other URLs, a terabyte of traffic under a new log key.
        await using (var impostor = await Peer.ConnectAsync(app.WebSocket))
        {
            await impostor.SendAsync(Messages.V1Exchange(boxId, "198.51.100.7", ("log-1", "/p/seg.ts", "1000000000000")));
            var (messages, status) = await impostor.ReceiveUntilCloseAsync();
            Assert.Equal("unauthorized", (string?)Assert.Single(messages)["CODE"]);
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        }
        // Version 2 without the credential, or with another id's, asking to drain: refused too.
        foreach (var token in new[] { Messages.NoToken, TestCredentials.TokenFor(Messages.NewBoxId()) })
        {
            await using var impostor = await Peer.ConnectAsync(app.WebSocket);
            await impostor.SendAsync(Messages.V2Exchange(boxId, 99, ip: "198.51.100.7", state: "DRAINING", token: token, traffic: [(1_000_000, 1L << 30)]));
            var (messages, _) = await impostor.ReceiveUntilCloseAsync();
            Assert.Equal("unauthorized", (string?)Assert.Single(messages)["CODE"]);
        }

        var detail = (await app.BoxAsync(boxId))!;
        Assert.Equal(PublicAddresses.UnitedStates, (string?)detail["lastExchange"]!["IP"]);
        Assert.Equal("ACTIVE", (string?)detail["box"]!["state"]);
        Assert.Equal(100, (long?)detail["bytesServed"]);
        Assert.Equal(1, (long?)detail["trafficMark"]);
        Assert.Equal(2, (int?)detail["box"]!["version"]);
        // The box's own session goes on.
        await box.SendAsync(Messages.V2Exchange(boxId, 2, ip: PublicAddresses.UnitedStates, traffic: [(2, 50)]));
        Assert.Equal(2, (long?)(await box.ReceiveAsync())["TRAFFIC_ACK"]);
    }

    [Fact]
    public async Task A_version_1_box_that_never_had_a_credential_is_served_only_when_the_operator_opts_in_and_shown_as_version_1()
    {
        await using var closed = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix(),
            new Dictionary<string, string?> { ["Entrance:Auth:AllowVersion1"] = null });
        await using (var v1 = await Peer.ConnectAsync(closed.WebSocket))
        {
            await v1.SendAsync(Messages.V1Exchange(Messages.NewBoxId()));
            Assert.Equal("unauthorized", (string?)Assert.Single((await v1.ReceiveUntilCloseAsync()).Messages)["CODE"]);
        }

        await using var open = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix());
        var original = Messages.NewBoxId();
        Assert.Equal("ACCEPTED", (string?)(await open.ExchangeOnceAsync(Messages.V1Exchange(original)))["MESSAGE"]);
        Assert.Equal(1, (int?)(await open.BoxAsync(original))!["box"]!["version"]);
    }

    [Fact]
    public async Task A_second_connection_claiming_a_live_box_cannot_hide_it_from_operator_commands()
    {
        // Auth off, where anyone may claim any id: the first session still hears the DRAIN.
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix(),
            new Dictionary<string, string?> { ["Entrance:Auth:Enabled"] = "false" });
        var boxId = Messages.NewBoxId();
        await using var box = await Peer.ConnectAsync(app.WebSocket);
        await box.SendAsync(Messages.V2Exchange(boxId, 1));
        await box.ReceiveAsync();
        await using var impostor = await Peer.ConnectAsync(app.WebSocket);
        await impostor.SendAsync(Messages.V2Exchange(boxId, 1, token: Messages.NoToken));
        await impostor.ReceiveAsync();

        using var drain = await app.Client.PostAsync($"/api/boxes/{boxId}/drain", null);
        Assert.Equal(HttpStatusCode.Accepted, drain.StatusCode);
        Assert.Equal("DRAIN", (string?)(await box.ReceiveAsync())["COMMAND"]);

        // With auth on the impostor gets no session at all, and the box hears the command.
        await using var guarded = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix());
        var enrolled = Messages.NewBoxId();
        await using var real = await Peer.ConnectAsync(guarded.WebSocket);
        await real.SendAsync(Messages.V2Exchange(enrolled, 1));
        await real.ReceiveAsync();
        await using var refused = await Peer.ConnectAsync(guarded.WebSocket);
        await refused.SendAsync(Messages.V2Exchange(enrolled, 1, token: Messages.NoToken));
        Assert.Equal("unauthorized", (string?)Assert.Single((await refused.ReceiveUntilCloseAsync()).Messages)["CODE"]);
        (await guarded.Client.PostAsync($"/api/boxes/{enrolled}/purge", null)).Dispose();
        Assert.Equal("PURGE", (string?)(await real.ReceiveAsync())["COMMAND"]);
        Assert.Equal(1, (long?)(await guarded.BoxAsync(enrolled))!["openSessions"]);
    }

    [Fact]
    public async Task A_credential_issued_by_the_api_opens_a_session_and_revoking_it_closes_the_session_on_every_entrance_at_once()
    {
        var prefix = RedisFixture.NewPrefix();
        var noSecret = new Dictionary<string, string?> { ["Entrance:Auth:Secret"] = null };
        await using var a = EntranceApp.Start(redis.ConnectionString, prefix, noSecret);
        // Made at first start in the data directory; the second entrance is handed the same file.
        var secretFile = Path.Combine(a.DataDirectory, "node-secret.key");
        Assert.True(File.Exists(secretFile));
        await using var b = EntranceApp.Start(redis.ConnectionString, prefix, new Dictionary<string, string?>
        {
            ["Entrance:Auth:Secret"] = null,
            ["Entrance:Auth:SecretFile"] = secretFile,
        });

        using var unauthorized = await new HttpClient { BaseAddress = a.Http }.PostAsJsonAsync("/api/credentials", new { role = "box" });
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        using var issued = await a.Client.PostAsJsonAsync("/api/credentials", new { role = "box" });
        var credential = (await issued.Content.ReadFromJsonAsync<JsonObject>())!;
        var (id, token) = ((string)credential["id"]!, (string)credential["token"]!);

        await using var toA = await Peer.ConnectAsync(a.WebSocket);
        await using var toB = await Peer.ConnectAsync(b.WebSocket);
        await toA.SendAsync(Messages.V2Exchange(id, 1, token: token));
        Assert.Equal("ACCEPTED", (string?)(await toA.ReceiveAsync())["MESSAGE"]);
        await toB.SendAsync(Messages.V2Exchange(id, 1, token: token));
        Assert.Equal("ACCEPTED", (string?)(await toB.ReceiveAsync())["MESSAGE"]);

        using var revoked = await a.Client.DeleteAsync($"/api/credentials/{id}");
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        foreach (var session in new[] { toA, toB })
        {
            var (messages, status) = await session.ReceiveUntilCloseAsync();
            Assert.Equal("unauthorized", (string?)Assert.Single(messages)["CODE"]);
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        }
        await using var again = await Peer.ConnectAsync(b.WebSocket);
        await again.SendAsync(Messages.V2Exchange(id, 2, token: token));
        Assert.Equal("unauthorized", (string?)Assert.Single((await again.ReceiveUntilCloseAsync()).Messages)["CODE"]);
        // A revoked id never comes back: the node is enrolled anew under a new id.
        using var reissue = await a.Client.PostAsJsonAsync("/api/credentials", new { id });
        Assert.Equal(HttpStatusCode.Conflict, reissue.StatusCode);
        await Eventually.MatchAsync(() => a.GoneAsync(), gone => gone.Any(g => (string?)g!["ID"] == id && (string?)g["REASON"] == "revoked"), "the box gone as revoked");
    }

    [Fact]
    public async Task An_id_whose_credential_was_shown_is_refused_to_version_1()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix());
        var publisherId = Messages.NewPublisherId();
        Assert.True((await app.SearchAsync(Messages.V2Search(publisherId))).ContainsKey("BOX_SET"));
        await using var impostor = await Peer.ConnectAsync(app.WebSocket);
        await impostor.SendAsync(Messages.V1Search(publisherId));
        Assert.Equal("unauthorized", (string?)Assert.Single((await impostor.ReceiveUntilCloseAsync()).Messages)["CODE"]);
    }

    [Fact]
    public async Task The_credential_command_issues_from_the_secret_the_entrance_made_and_the_entrance_accepts_it()
    {
        var prefix = RedisFixture.NewPrefix();
        await using var app = EntranceApp.Start(redis.ConnectionString, prefix, new Dictionary<string, string?> { ["Entrance:Auth:Secret"] = null });
        var line = await RunEntranceAsync("credential", "box", $"--Entrance:DataDirectory={app.DataDirectory}");
        var parts = line.Trim().Split(' ');
        Assert.Equal(2, parts.Length);
        var secret = (await File.ReadAllTextAsync(Path.Combine(app.DataDirectory, "node-secret.key"))).Trim();
        Assert.True(NodeToken.Verify(secret, parts[0], parts[1]));

        await using var box = await Peer.ConnectAsync(app.WebSocket);
        await box.SendAsync(Messages.V2Exchange(parts[0], 1, token: parts[1]));
        Assert.Equal("ACCEPTED", (string?)(await box.ReceiveAsync())["MESSAGE"]);
    }

    private static async Task<string> RunEntranceAsync(params string[] args)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryPaths.Root };
        start.ArgumentList.Add(RepositoryPaths.RequireFile(Path.Combine(RepositoryPaths.Root, "Entrance", "bin", configuration, "net10.0", "Dandelion.Entrance.dll")));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var variable in start.Environment.Keys.Where(k => k.StartsWith("DANDELION_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(variable);
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, error);
        return output;
    }
}
