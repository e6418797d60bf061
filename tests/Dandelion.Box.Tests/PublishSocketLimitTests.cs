using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Dandelion.Box.Tests;

/// <summary>
/// The box's publish socket against careless and hostile peers: a time limit on the first
/// message and on silence, a cap on sockets per address, and the memory of abandoned messages
/// given back.
/// </summary>
public sealed class PublishSocketLimitTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Cap = 16;
    private readonly string _data = Directory.CreateTempSubdirectory("dandelion-box-limits-").FullName;
    private BoxHost _box = null!;

    public Task InitializeAsync()
    {
        _box = BoxHost.Start(_data, new Dictionary<string, string?>
        {
            ["Box:FirstMessageTimeout"] = "00:00:10",
            ["Box:IdleTimeout"] = "00:00:05",
            ["Box:MaxConnectionsPerAddress"] = Cap.ToString(),
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _box.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task A_socket_that_sends_nothing_is_closed_after_the_first_message_timeout()
    {
        using var socket = await _box.ConnectAsync();
        var (messages, status, description) = await ReceiveUntilCloseAsync(socket, TimeSpan.FromSeconds(60));
        // The peer never said which version it speaks: the original's words, no CODE.
        var error = JsonDocument.Parse(Assert.Single(messages)).RootElement;
        Assert.StartsWith("Timed out", error.GetProperty("ERROR").GetString());
        Assert.False(error.TryGetProperty("CODE", out _));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("timeout", description);
    }

    [Fact]
    public async Task An_idle_publisher_is_closed_after_the_idle_timeout_and_one_sending_slowly_is_not()
    {
        var (idle, _) = await TestPublisher.ConnectAsync(_box, version: 2);
        var (busy, _) = await TestPublisher.ConnectAsync(_box, version: 2, id: "publisher-11111111111111111111111111111111");
        using (idle)
        using (busy)
        {
            var idleClosed = ReceiveUntilCloseAsync(idle.Socket, TimeSpan.FromSeconds(60));
            // One file trickling in over longer than the idle timeout: bytes keep coming, so it is not idle.
            var frame = TestPublisher.Version2Frame("/slow/seg.ts", 60, new byte[40 * 1024]);
            for (var offset = 0; offset < frame.Length; offset += 1024)
            {
                await busy.Socket.SendAsync(frame.AsMemory(offset, Math.Min(1024, frame.Length - offset)), WebSocketMessageType.Binary,
                    offset + 1024 >= frame.Length, CancellationToken.None);
                await Task.Delay(200);
            }
            var stored = await BoxHost.ReceiveJsonAsync(busy.Socket);
            Assert.Equal("STORED", stored!.Value.GetProperty("COMMAND").GetString());

            var (messages, status, _) = await idleClosed;
            Assert.Equal("timeout", JsonDocument.Parse(Assert.Single(messages)).RootElement.GetProperty("CODE").GetString());
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        }
    }

    [Fact]
    public async Task Unfinished_1_MB_messages_from_one_address_are_refused_past_the_cap_and_their_memory_is_given_back()
    {
        // One whole publisher first, so that what is loaded once (code, pools) is in the baseline.
        var (warm, _) = await TestPublisher.ConnectAsync(_box, version: 2);
        warm.Dispose();
        var before = ManagedBytes();

        var part = Encoding.ASCII.GetBytes(new string('x', 16 * 1024));
        using var gate = new SemaphoreSlim(32);
        var ends = await Task.WhenAll(Enumerable.Range(0, 300).Select(async _ =>
        {
            await gate.WaitAsync();
            ClientWebSocket socket;
            try
            {
                socket = await _box.ConnectAsync();
                // 1 MiB of a text message that never ends.
                for (var sent = 0; sent < 1 << 20; sent += part.Length)
                    await socket.SendAsync(part, WebSocketMessageType.Text, endOfMessage: false, CancellationToken.None);
            }
            catch (WebSocketException)
            {
                // Refused sockets may be cut off while they still send: what they were told is read below.
                return "cut off";
            }
            finally
            {
                gate.Release();
            }
            using (socket)
                return (await ReceiveUntilCloseAsync(socket, TimeSpan.FromSeconds(120))).Description ?? "none";
        }));

        var refused = ends.Count(e => e == "rate-limited");
        var timedOut = ends.Count(e => e == "timeout");
        // On a loaded machine a held one may time out before all 300 came, letting one more in: hence not exactly 284.
        Assert.True(refused >= 200 && timedOut >= Cap, $"refused {refused}, timed out {timedOut}: {string.Join(",", ends.Distinct())}");

        // The 16 held ones were let go: their buffers, and everything else, are garbage now.
        long after = 0;
        await BoxHost.EventuallyAsync(() => (after = ManagedBytes()) - before < 48L << 20,
            "managed memory back near where it was", TimeSpan.FromSeconds(90));
        output.WriteLine($"managed memory: {before >> 20} MiB before, {after >> 20} MiB after");
        Assert.True(after - before < 48L << 20, $"{(after - before) >> 20} MiB more than before");
    }

    private static long ManagedBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>Text messages until the close frame (or the socket is cut), and the close status and description.</summary>
    private static async Task<(List<string> Messages, WebSocketCloseStatus? Status, string? Description)> ReceiveUntilCloseAsync(
        WebSocket socket, TimeSpan within)
    {
        using var deadline = new CancellationTokenSource(within);
        var messages = new List<string>();
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, deadline.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                    return (messages, result.CloseStatus, result.CloseStatusDescription);
                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    messages.Add(Encoding.UTF8.GetString(message.ToArray()));
                    message.SetLength(0);
                }
            }
        }
        catch (WebSocketException)
        {
            return (messages, socket.CloseStatus, "cut off");
        }
    }
}
