using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Dandelion.Entrance.Tests.Support;

/// <summary>A box or publisher as the entrance sees one: a real ClientWebSocket.</summary>
public sealed class Peer : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly ClientWebSocket _socket;

    private Peer(ClientWebSocket socket) => _socket = socket;

    public WebSocketState State => _socket.State;

    public static async Task<Peer> ConnectAsync(Uri uri, string? forwardedFor = null)
    {
        var socket = new ClientWebSocket();
        if (forwardedFor is not null)
            socket.Options.SetRequestHeader("X-Forwarded-For", forwardedFor);
        using var timeout = new CancellationTokenSource(Patience);
        await socket.ConnectAsync(uri, timeout.Token);
        return new Peer(socket);
    }

    public Task SendAsync(JsonNode message) => SendTextAsync(message.ToJsonString());

    public async Task SendTextAsync(string text)
    {
        using var timeout = new CancellationTokenSource(Patience);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    public async Task SendBinaryAsync(byte[] bytes)
    {
        using var timeout = new CancellationTokenSource(Patience);
        await _socket.SendAsync(bytes, WebSocketMessageType.Binary, true, timeout.Token);
    }

    /// <summary>The next text message; fails if the socket closes first.</summary>
    public async Task<JsonObject> ReceiveAsync()
    {
        var (text, close) = await ReceiveRawAsync();
        Assert.True(text is not null, $"expected a message, the entrance closed with {close}");
        return JsonNode.Parse(text!)!.AsObject();
    }

    /// <summary>Reads messages until the close frame; returns what came before it and the close status.</summary>
    public async Task<(List<JsonObject> Messages, WebSocketCloseStatus? Status)> ReceiveUntilCloseAsync()
    {
        var messages = new List<JsonObject>();
        while (true)
        {
            var (text, close) = await ReceiveRawAsync();
            if (text is null)
                return (messages, close);
            messages.Add(JsonNode.Parse(text)!.AsObject());
        }
    }

    /// <summary>Drops the connection without a close frame, as a crashed or killed peer does.</summary>
    public void Abort() => _socket.Abort();

    public async Task CloseAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        if (_socket.State == WebSocketState.Open)
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await CloseAsync();
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
        _socket.Dispose();
    }

    private async Task<(string? Text, WebSocketCloseStatus? Close)> ReceiveRawAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var buffer = new byte[8192];
        using var message = new MemoryStream();
        while (true)
        {
            WebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(buffer, timeout.Token);
            }
            catch (WebSocketException)
            {
                return (null, _socket.CloseStatus);
            }
            if (result.MessageType == WebSocketMessageType.Close)
                return (null, result.CloseStatus);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
                return (Encoding.UTF8.GetString(message.ToArray()), null);
        }
    }
}
