using System.Net.WebSockets;
using System.Text;
using Dandelion.Shared.WebSockets;

namespace Dandelion.Shared.Tests;

/// <summary>
/// <see cref="WebSocketSender"/> writing on Kestrel's side of a real connection; a
/// <see cref="ClientWebSocket"/> reads what arrives.
/// </summary>
public sealed class WebSocketSenderTests
{
    // A bound on a hung test, never an assertion about how long anything takes.
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    /// <summary>
    /// A server whose session hands its sender to the test, runs it, and then waits for the
    /// client's close so the connection ends cleanly.
    /// </summary>
    private static async Task<(WebSocketServer Server, Task<WebSocketSender> Sender, TaskCompletionSource Run, Task Ran)> StartSenderAsync(int capacity)
    {
        var sender = new TaskCompletionSource<WebSocketSender>(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = await WebSocketServer.StartAsync(async socket =>
        {
            var writer = new WebSocketSender(socket, capacity);
            sender.SetResult(writer);
            await run.Task;
            try
            {
                await writer.RunAsync(Timeout);
                ran.SetResult();
            }
            catch (Exception ex)
            {
                ran.SetException(ex);
                return;
            }
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                using var message = await WebSocketMessageReader.ReceiveAsync(socket, 1024, Timeout);
                if (message.Outcome == ReceiveOutcome.Closed)
                    break;
            }
            if (socket.State == WebSocketState.CloseReceived)
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, Timeout);
        });
        return (server, sender.Task, run, ran.Task);
    }

    private static async Task<(WebSocketMessageType Type, string Text)> ReceiveAsync(ClientWebSocket client)
    {
        var buffer = new byte[64 * 1024];
        var length = 0;
        while (true)
        {
            var result = await client.ReceiveAsync(buffer.AsMemory(length), Timeout);
            length += result.Count;
            if (result.EndOfMessage)
                return (result.MessageType, Encoding.UTF8.GetString(buffer, 0, length));
        }
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Queued_messages_arrive_in_order_then_the_close_frame_with_its_status()
    {
        var (server, senderTask, run, ran) = await StartSenderAsync(capacity: 256);
        await using var _ = server;
        using var client = await server.ConnectAsync(Timeout);
        var sender = await senderTask;

        for (var i = 0; i < 200; i++)
            Assert.True(i % 2 == 0 ? sender.TrySendText(Utf8($"m{i}")) : sender.TrySendBinary(Utf8($"m{i}")));
        sender.Close(WebSocketCloseStatus.PolicyViolation, "unauthorized");
        run.SetResult();

        for (var i = 0; i < 200; i++)
        {
            var (type, text) = await ReceiveAsync(client);
            Assert.Equal((i % 2 == 0 ? WebSocketMessageType.Text : WebSocketMessageType.Binary, $"m{i}"), (type, text));
        }
        var close = await client.ReceiveAsync(new byte[16], Timeout);
        Assert.Equal(WebSocketMessageType.Close, close.MessageType);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, client.CloseStatus);
        Assert.Equal("unauthorized", client.CloseStatusDescription);
        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, Timeout);
        await ran;
    }

    [Fact]
    public async Task Messages_sent_while_running_arrive_in_order()
    {
        var (server, senderTask, run, ran) = await StartSenderAsync(capacity: 4);
        await using var _ = server;
        using var client = await server.ConnectAsync(Timeout);
        var sender = await senderTask;
        run.SetResult();

        // More messages than the queue holds: SendTextAsync waits for room instead of failing.
        for (var i = 0; i < 50; i++)
            await sender.SendTextAsync(Utf8($"m{i}"), Timeout);
        sender.Close(WebSocketCloseStatus.NormalClosure, null);

        for (var i = 0; i < 50; i++)
            Assert.Equal($"m{i}", (await ReceiveAsync(client)).Text);
        await client.ReceiveAsync(new byte[16], Timeout);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, Timeout);
        await ran;
    }

    [Fact]
    public async Task A_full_queue_refuses_more_and_still_delivers_the_close_frame()
    {
        var (server, senderTask, run, ran) = await StartSenderAsync(capacity: 2);
        await using var _ = server;
        using var client = await server.ConnectAsync(Timeout);
        var sender = await senderTask;

        Assert.True(sender.TrySendText(Utf8("one")));
        Assert.True(sender.TrySendText(Utf8("two")));
        Assert.False(sender.TrySendText(Utf8("three")));
        Assert.False(sender.TrySendBinary(Utf8("four")));
        // The slow peer is dropped with a reason: the close frame must not need a queue slot.
        sender.Close(WebSocketCloseStatus.PolicyViolation, "too slow");
        run.SetResult();

        Assert.Equal("one", (await ReceiveAsync(client)).Text);
        Assert.Equal("two", (await ReceiveAsync(client)).Text);
        var close = await client.ReceiveAsync(new byte[16], Timeout);
        Assert.Equal(WebSocketMessageType.Close, close.MessageType);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, client.CloseStatus);
        Assert.Equal("too slow", client.CloseStatusDescription);
        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, Timeout);
        await ran;
    }

    [Fact]
    public async Task Nothing_is_accepted_after_close_and_the_first_close_status_wins()
    {
        var (server, senderTask, run, ran) = await StartSenderAsync(capacity: 8);
        await using var _ = server;
        using var client = await server.ConnectAsync(Timeout);
        var sender = await senderTask;

        Assert.True(sender.TrySendText(Utf8("before")));
        sender.Close(WebSocketCloseStatus.MessageTooBig, "too-big");
        sender.Close(WebSocketCloseStatus.NormalClosure, "later");
        Assert.False(sender.TrySendText(Utf8("after")));
        run.SetResult();

        Assert.Equal("before", (await ReceiveAsync(client)).Text);
        await client.ReceiveAsync(new byte[16], Timeout);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, client.CloseStatus);
        Assert.Equal("too-big", client.CloseStatusDescription);
        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, Timeout);
        await ran;
    }

    [Theory]
    // ASCII past the 123 bytes a close frame may carry.
    [InlineData(200, 'x')]
    // Two-byte characters: the cut must not split one.
    [InlineData(100, 'é')]
    public async Task A_long_close_description_is_cut_to_fit_instead_of_failing(int count, char c)
    {
        var (server, senderTask, run, ran) = await StartSenderAsync(capacity: 8);
        await using var _ = server;
        using var client = await server.ConnectAsync(Timeout);
        var sender = await senderTask;
        var description = new string(c, count);

        sender.Close(WebSocketCloseStatus.InvalidPayloadData, description);
        run.SetResult();

        await client.ReceiveAsync(new byte[16], Timeout);
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, client.CloseStatus);
        Assert.StartsWith(client.CloseStatusDescription!, description);
        Assert.InRange(Encoding.UTF8.GetByteCount(client.CloseStatusDescription!), 122, 123);
        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, Timeout);
        await ran;
    }

    [Fact]
    public async Task Complete_drains_the_queue_and_ends_without_a_close_frame()
    {
        var (server, senderTask, run, ran) = await StartSenderAsync(capacity: 8);
        await using var _ = server;
        using var client = await server.ConnectAsync(Timeout);
        var sender = await senderTask;

        Assert.True(sender.TrySendText(Utf8("only")));
        sender.Complete();
        Assert.False(sender.TrySendText(Utf8("late")));
        run.SetResult();
        await ran;

        Assert.Equal("only", (await ReceiveAsync(client)).Text);
        Assert.Equal(WebSocketState.Open, client.State);
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, Timeout);
    }

    [Fact]
    public async Task An_aborted_socket_ends_the_sender_quietly_and_later_sends_are_refused()
    {
        var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sender = new TaskCompletionSource<WebSocketSender>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await WebSocketServer.StartAsync(async socket =>
        {
            var writer = new WebSocketSender(socket, 8);
            Assert.True(writer.TrySendText(Utf8("first")));
            var running = writer.RunAsync(Timeout);
            // The session ends the connection under the sender (the peer broke the protocol).
            socket.Abort();
            // Queued or refused depending on whether the sender has noticed yet; either is fine.
            _ = writer.TrySendText(Utf8("queued after the abort"));
            try
            {
                await running;
                ran.SetResult();
            }
            catch (Exception ex)
            {
                ran.SetException(ex);
            }
            sender.SetResult(writer);
        });
        try
        {
            using var client = await server.ConnectAsync(Timeout);
        }
        catch (WebSocketException)
        {
            // The abort can beat the handshake's answer to the client; the server side is what is tested.
        }

        await ran.Task;

        Assert.False((await sender.Task).TrySendText(Utf8("after")));
    }
}
