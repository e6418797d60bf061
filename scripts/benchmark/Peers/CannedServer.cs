using System.Net.WebSockets;

namespace Dandelion.Benchmark.Peers;

/// <summary>
/// <c>Dandelion.Benchmark peer {port} {reply file}</c>: the smallest ASP.NET Core WebSocket
/// server, the same-run peer of the entrance. On <c>/ws</c> it answers every text message with
/// the bytes of the reply file (a real entrance reply captured in the same run), using the
/// same Kestrel and WebSocket middleware as the entrance; with <c>?close=1</c>
/// it closes after the first reply, as the entrance does with a version 1 box.
/// </summary>
internal static class CannedServer
{
    private const int MaxMessageBytes = 64 * 1024;

    public static async Task<int> RunAsync(int port, string replyFile)
    {
        var reply = await File.ReadAllBytesAsync(replyFile);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.ListenLocalhost(port));
        var app = builder.Build();
        app.UseWebSockets();
        app.Map("/ws", async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
            var closeAfterReply = context.Request.Query["close"] == "1";
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await AnswerAsync(socket, reply, closeAfterReply, context.RequestAborted);
        });
        app.MapGet("/alive", () => "alive");
        await app.RunAsync();
        return 0;
    }

    private static async Task AnswerAsync(WebSocket socket, byte[] reply, bool closeAfterReply, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxMessageBytes];
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                        return;
                    result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                if (result.MessageType == WebSocketMessageType.Close)
                    break;
                await socket.SendAsync(reply, WebSocketMessageType.Text, true, cancellationToken);
                if (closeAfterReply)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "answered", cancellationToken);
                    return;
                }
            }
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
        }
    }
}
