using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Dandelion.Shared.Tests;

/// <summary>
/// Kestrel on a free loopback port with one WebSocket route, <c>/ws</c>, whose accepted
/// socket is handed to the test's session. Real sockets, real frames: nothing is faked.
/// </summary>
internal sealed class WebSocketServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebSocketServer(WebApplication app, Uri uri)
    {
        _app = app;
        Uri = uri;
    }

    /// <summary>The WebSocket address, <c>ws://127.0.0.1:{port}/ws</c>.</summary>
    public Uri Uri { get; }

    public static async Task<WebSocketServer> StartAsync(Func<WebSocket, Task> session)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.UseWebSockets();
        app.Map("/ws", async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await session(socket);
        });
        await app.StartAsync();
        var bound = new Uri(app.Urls.Single());
        return new WebSocketServer(app, new UriBuilder("ws", bound.Host, bound.Port, "/ws").Uri);
    }

    /// <summary>A client connected to <see cref="Uri"/>.</summary>
    public async Task<ClientWebSocket> ConnectAsync(CancellationToken cancellationToken)
    {
        var client = new ClientWebSocket();
        await client.ConnectAsync(Uri, cancellationToken);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
