using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Dandelion.Shared.Identity;
using Dandelion.Shared.Protocol;
using Dandelion.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Dandelion.Publisher.Tests.Peers;

/// <summary>An entrance written for the tests: answers SEARCH (version 2) with the boxes the test lists, best first.</summary>
internal sealed class TestEntrance : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly object _gate = new();
    private List<RankedBox> _boxes = [];

    private TestEntrance()
    {
        Port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, Port));
        _app = builder.Build();
        _app.UseWebSockets();
        _app.Map("/dandelion/ws/", SearchAsync);
    }

    public string Id { get; } = NodeIdentity.New(NodeRole.Entrance);
    public int Port { get; }
    public string Url => $"ws://127.0.0.1:{Port}/dandelion/ws/";
    public int Searches;
    /// <summary>Answer every SEARCH with an error, as an entrance that does not know the publisher does.</summary>
    public bool Refuse { get; set; }
    public SearchRequest? LastRequest { get; private set; }

    public static async Task<TestEntrance> StartAsync()
    {
        var entrance = new TestEntrance();
        await entrance._app.StartAsync();
        return entrance;
    }

    /// <summary>The boxes SEARCH returns from now on.</summary>
    public void Offer(params RankedBox[] boxes)
    {
        lock (_gate)
            _boxes = boxes.ToList();
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }

    private async Task SearchAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        try
        {
            var message = await TestBox.ReadMessageAsync(socket, context.RequestAborted);
            if (message is null)
                return;
            var request = JsonSerializer.Deserialize(message.Value.Bytes, ProtocolJsonContext.Default.SearchRequest)!;
            LastRequest = request;
            Interlocked.Increment(ref Searches);
            if (Refuse)
            {
                var error = new ErrorReply { Id = Id, Ip = "127.0.0.1", Port = Port.ToString(), Type = NodeTypes.Entrance, Command = Commands.Search, Version = 2, Error = "Not authorized: test", Code = ProtocolErrorCodes.Unauthorized };
                await socket.SendAsync(ProtocolJson.Serialize(error, ProtocolJsonContext.Default.ErrorReply), WebSocketMessageType.Text, true, context.RequestAborted);
                await socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "unauthorized", context.RequestAborted);
                return;
            }
            List<RankedBox> boxes;
            lock (_gate)
                boxes = _boxes.Where(b => request.Exclude?.Contains(b.Id) != true).OrderByDescending(b => b.Score).ToList();
            var reply = new SearchReply
            {
                Id = Id, Ip = "127.0.0.1", Port = Port.ToString(), Type = NodeTypes.Entrance, Command = Commands.Search, Version = 2,
                BoxSet = new Dictionary<string, JsonElement>(),
                Ranking = boxes,
                Grants = boxes.ToDictionary(b => b.Id, b => $"{request.Id}.{b.Id}.4102444800.test"),
            };
            await socket.SendAsync(ProtocolJson.Serialize(reply, ProtocolJsonContext.Default.SearchReply), WebSocketMessageType.Text, true, context.RequestAborted);
            await TestBox.ReadMessageAsync(socket, context.RequestAborted);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
        }
    }
}
