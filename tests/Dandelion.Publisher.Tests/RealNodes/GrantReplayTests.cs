using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Dandelion.Shared.Auth;

namespace Dandelion.Publisher.Tests.RealNodes;

/// <summary>
/// Issue 9's grant replay, against a real entrance and real boxes: the grant SEARCH gave a publisher
/// for one box opens that box only, and a publisher that never searched (no grant) opens none.
/// </summary>
public sealed class GrantReplayTests : IAsyncLifetime
{
    private const string Secret = "grant-replay-tests-secret";
    private Cluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await Cluster.StartAsync(boxes: 2, Secret);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_grant_given_for_one_box_is_refused_by_another_and_a_push_without_one_by_both()
    {
        var publisherId = "publisher-" + Guid.NewGuid().ToString("N");
        var (a, b) = (_cluster.Boxes[0], _cluster.Boxes[1]);
        // Both boxes must have heard the entrance's grant key (their first EXCHANGE) and be offered.
        var grants = await Eventually.Until(async () =>
        {
            var reply = await AskAsync(_cluster.EntranceUrl, new Dictionary<string, object?>
            {
                ["ID"] = publisherId, ["IP"] = "127.0.0.1", ["TYPE"] = "PUBLISHER", ["COMMAND"] = "SEARCH", ["VERSION"] = 2,
                ["TOKEN"] = NodeToken.Compute(Secret, publisherId),
            });
            return reply.TryGetProperty("GRANTS", out var g) && g.TryGetProperty(a.Id, out _) && g.TryGetProperty(b.Id, out _)
                ? g.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!)
                : null;
        }, "a SEARCH offering both boxes, with grants");

        var grantForA = grants[a.Id];
        Assert.Equal("unauthorized", Code(await PublishAsync(b, publisherId, grantForA)));
        Assert.Equal("unauthorized", Code(await PublishAsync(a, publisherId, null)));
        Assert.Equal("unauthorized", Code(await PublishAsync(a, "publisher-" + Guid.NewGuid().ToString("N"), grantForA)));
        Assert.Equal("ACCEPTED", (await PublishAsync(a, publisherId, grantForA)).GetProperty("MESSAGE").GetString());
        Assert.Equal("ACCEPTED", (await PublishAsync(b, publisherId, grants[b.Id])).GetProperty("MESSAGE").GetString());
    }

    private static string? Code(JsonElement reply) => reply.TryGetProperty("CODE", out var code) ? code.GetString() : null;

    private static Task<JsonElement> PublishAsync(ClusterBox box, string publisherId, string? grant) =>
        AskAsync($"ws://127.0.0.1:{box.Port}/dandelion/{box.Id}/ws/", new Dictionary<string, object?>
        {
            ["ID"] = publisherId, ["IP"] = "127.0.0.1", ["TYPE"] = "PUBLISHER", ["COMMAND"] = "PUBLISH", ["VERSION"] = 2, ["GRANT"] = grant,
        });

    private static async Task<JsonElement> AskAsync(string url, Dictionary<string, object?> message)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(url), timeout.Token);
        await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message.Where(p => p.Value is not null).ToDictionary()), WebSocketMessageType.Text, true, timeout.Token);
        var buffer = new byte[1 << 20];
        var length = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            length += result.Count;
            if (result.EndOfMessage)
                break;
        }
        return JsonDocument.Parse(Encoding.UTF8.GetString(buffer, 0, length)).RootElement.Clone();
    }
}
