using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dandelion.Entrance.Tests.Support;

namespace Dandelion.Entrance.Tests.Integration;

/// <summary>The operator dashboard: the page at <c>/</c> and the <c>/api/network</c> it draws from.</summary>
public sealed class DashboardTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task The_page_is_served_at_the_root()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix());

        using var page = await app.Client.GetAsync("/");
        page.EnsureSuccessStatusCode();
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("dashboard.js", await page.Content.ReadAsStringAsync());
        using var script = await app.Client.GetAsync("/dashboard.js");
        Assert.Contains("api/network", await script.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_box_shows_with_its_place_heartbeat_storage_bandwidth_and_bytes_then_as_gone_with_the_reason()
    {
        await using var app = EntranceApp.Start(redis.ConnectionString, RedisFixture.NewPrefix());
        var boxId = Messages.NewBoxId();
        var box = await Peer.ConnectAsync(app.WebSocket);
        var sentAt = DateTimeOffset.UtcNow;
        await box.SendAsync(Messages.V2Exchange(boxId, 1, ip: PublicAddresses.UnitedStates, ceiling: 5_000_000, used: 1_234, traffic: [(1, 700), (2, 300)]));
        await box.ReceiveAsync();

        var network = await NetworkAsync(app);
        var shown = network["boxes"]!.AsArray().Single()!;
        Assert.Equal(boxId, (string?)shown["id"]);
        Assert.Equal("ACTIVE", (string?)shown["state"]);
        Assert.Equal("US", (string?)shown["country"]);
        Assert.Equal(1_000_000_000, (long?)shown["storageUsed"]);
        Assert.Equal(10_000_000_000, (long?)shown["storageQuota"]);
        Assert.Equal(12, (long?)shown["files"]);
        Assert.Equal(1_234, (long?)shown["bandwidthUsed"]);
        Assert.Equal(5_000_000, (long?)shown["bandwidthCeiling"]);
        Assert.Equal(2, (long?)shown["requestsServed"]);
        Assert.Equal(1_000, (long?)shown["bytesServed"]);
        // The heartbeat is the one just sent (the test's clock and the entrance's are the same machine's).
        var heartbeat = DateTimeOffset.Parse((string)shown["lastHeartbeatAt"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(heartbeat, sentAt.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(15, (double?)network["expirySeconds"]);
        Assert.Equal(1, (long?)network["stats"]!["boxesLive"]);

        await box.CloseAsync();
        await box.DisposeAsync();
        var after = await Eventually.MatchAsync(() => NetworkAsync(app), n => n["boxes"]!.AsArray().Count == 0,
            "the closed box to leave the dashboard");
        var gone = after["gone"]!.AsArray().Single()!;
        Assert.Equal(boxId, (string?)gone["ID"]);
        Assert.Equal("closed", (string?)gone["REASON"]);
    }

    private static async Task<JsonObject> NetworkAsync(EntranceApp app) =>
        (await app.Client.GetFromJsonAsync<JsonObject>("/api/network"))!;
}
