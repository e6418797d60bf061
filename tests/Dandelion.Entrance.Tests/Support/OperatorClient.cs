using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Dandelion.Entrance.Tests.Support;

/// <summary>The operator API as an operator's script would read it.</summary>
public static class OperatorClient
{
    /// <summary>The box's detail, or null when the entrance says 404.</summary>
    public static async Task<JsonObject?> BoxAsync(this EntranceApp app, string id)
    {
        using var response = await app.Client.GetAsync($"/api/boxes/{id}");
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public static async Task<JsonObject> StatsAsync(this EntranceApp app) =>
        (await app.Client.GetFromJsonAsync<JsonObject>("/api/stats"))!;

    public static async Task<JsonArray> BoxesAsync(this EntranceApp app, string query = "") =>
        (await app.Client.GetFromJsonAsync<JsonArray>("/api/boxes" + query))!;

    public static async Task<JsonArray> GoneAsync(this EntranceApp app) =>
        (await app.Client.GetFromJsonAsync<JsonArray>("/api/boxes/gone"))!;

    /// <summary>One SEARCH on a new connection, as a publisher would make it.</summary>
    public static async Task<JsonObject> SearchAsync(this EntranceApp app, JsonObject search, string? forwardedFor = null)
    {
        await using var publisher = await Peer.ConnectAsync(app.WebSocket, forwardedFor);
        await publisher.SendAsync(search);
        return await publisher.ReceiveAsync();
    }

    /// <summary>One version 1 EXCHANGE: connect, send, read the reply, see the entrance close.</summary>
    public static async Task<JsonObject> ExchangeOnceAsync(this EntranceApp app, JsonObject exchange, string? forwardedFor = null)
    {
        await using var box = await Peer.ConnectAsync(app.WebSocket, forwardedFor);
        await box.SendAsync(exchange);
        var (messages, status) = await box.ReceiveUntilCloseAsync();
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, status);
        return Assert.Single(messages);
    }
}
