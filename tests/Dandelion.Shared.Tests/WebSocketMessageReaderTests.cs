using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Dandelion.Shared.WebSockets;

namespace Dandelion.Shared.Tests;

/// <summary>
/// <see cref="WebSocketMessageReader"/> reading on Kestrel's side of a real connection,
/// fed by a <see cref="ClientWebSocket"/>.
/// </summary>
public sealed class WebSocketMessageReaderTests
{
    // A bound on a hung test, never an assertion about how long anything takes.
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    /// <summary>What the server read: the outcome, the type and a copy of the bytes.</summary>
    private sealed record Read(ReceiveOutcome Outcome, WebSocketMessageType Type, byte[] Bytes);

    /// <summary>
    /// A server that reads messages with the given limit until the connection closes or a
    /// message is too big, and reports each one.
    /// </summary>
    private static async Task<(WebSocketServer Server, ChannelReader<Read> Reads)> StartReaderAsync(int maxBytes)
    {
        var reads = Channel.CreateUnbounded<Read>();
        var server = await WebSocketServer.StartAsync(async socket =>
        {
            while (true)
            {
                using var message = await WebSocketMessageReader.ReceiveAsync(socket, maxBytes, Timeout);
                await reads.Writer.WriteAsync(new Read(message.Outcome, message.Type, message.Span.ToArray()));
                if (message.Outcome != ReceiveOutcome.Message)
                {
                    if (message.Outcome == ReceiveOutcome.TooBig)
                        await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, "too-big", Timeout);
                    else if (socket.State == WebSocketState.CloseReceived)
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, Timeout);
                    reads.Writer.Complete();
                    return;
                }
            }
        });
        return (server, reads.Reader);
    }

    private static byte[] Pattern(int length) => Enumerable.Range(0, length).Select(i => (byte)('a' + i % 26)).ToArray();

    private static async Task SendInFramesAsync(WebSocket socket, byte[] message, int frameSize, WebSocketMessageType type = WebSocketMessageType.Text)
    {
        if (message.Length == 0)
        {
            await socket.SendAsync(ReadOnlyMemory<byte>.Empty, type, endOfMessage: true, Timeout);
            return;
        }
        for (var offset = 0; offset < message.Length; offset += frameSize)
        {
            var length = Math.Min(frameSize, message.Length - offset);
            await socket.SendAsync(message.AsMemory(offset, length), type, endOfMessage: offset + length == message.Length, Timeout);
        }
    }

    [Theory]
    // Many tiny frames of one small message.
    [InlineData(1_000, 10)]
    // One byte per frame.
    [InlineData(300, 1)]
    // Larger than the reader's first buffer (4 KiB), so it has to grow, in uneven frames.
    [InlineData(100_000, 777)]
    // Larger still, in one frame.
    [InlineData(300_000, 300_000)]
    public async Task Message_in_many_frames_is_read_whole(int length, int frameSize)
    {
        var (server, reads) = await StartReaderAsync(maxBytes: 1 << 20);
        await using var _ = server;
        using var client = await server.ConnectAsync(Timeout);
        var sent = Pattern(length);

        await SendInFramesAsync(client, sent, frameSize);

        var read = await reads.ReadAsync(Timeout);
        Assert.Equal(ReceiveOutcome.Message, read.Outcome);
        Assert.Equal(WebSocketMessageType.Text, read.Type);
        Assert.Equal(sent, read.Bytes);
    }

    [Theory]
    // The smallest limits, and those around the reader's first buffer (4096).
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4095)]
    [InlineData(4096)]
    [InlineData(4097)]
    // Around a pool bucket size past the first growth.
    [InlineData(8192)]
    [InlineData(65_536)]
    public async Task Message_of_exactly_the_limit_passes_and_one_byte_more_is_too_big(int limit)
    {
        foreach (var frameSize in new[] { Math.Max(limit, 1), 1000 })
        {
            var (server, reads) = await StartReaderAsync(limit);
            await using (server)
            {
                using var client = await server.ConnectAsync(Timeout);
                var atLimit = Pattern(limit);

                await SendInFramesAsync(client, atLimit, frameSize);
                var read = await reads.ReadAsync(Timeout);
                Assert.Equal(ReceiveOutcome.Message, read.Outcome);
                Assert.Equal(atLimit, read.Bytes);

                await SendInFramesAsync(client, Pattern(limit + 1), frameSize);
                var tooBig = await reads.ReadAsync(Timeout);
                Assert.Equal(ReceiveOutcome.TooBig, tooBig.Outcome);
                Assert.Empty(tooBig.Bytes);
            }
        }
    }

    [Fact]
    public async Task Too_big_is_decided_before_the_whole_message_arrives()
    {
        var (server, reads) = await StartReaderAsync(maxBytes: 1024);
        await using var _ = server;
        using var client = await server.ConnectAsync(Timeout);

        // The first frame is already over the limit and the message never ends.
        await client.SendAsync(Pattern(2048), WebSocketMessageType.Binary, endOfMessage: false, Timeout);

        var read = await reads.ReadAsync(Timeout);
        Assert.Equal(ReceiveOutcome.TooBig, read.Outcome);
        Assert.Equal(WebSocketMessageType.Binary, read.Type);
    }

    [Fact]
    public async Task Messages_one_after_another_are_read_separately_including_empty_ones()
    {
        var (server, reads) = await StartReaderAsync(maxBytes: 1 << 16);
        await using var _ = server;
        using var client = await server.ConnectAsync(Timeout);

        // An empty message is consumed whole by the reader's zero-byte wait; it must not be
        // glued to the message after it.
        await SendInFramesAsync(client, [], 1);
        await SendInFramesAsync(client, "second"u8.ToArray(), 2);
        await SendInFramesAsync(client, [], 1, WebSocketMessageType.Binary);
        await SendInFramesAsync(client, Pattern(5000), 1000, WebSocketMessageType.Binary);
        await SendInFramesAsync(client, "fifth"u8.ToArray(), 5);

        Assert.Equal(new Read(ReceiveOutcome.Message, WebSocketMessageType.Text, []), await reads.ReadAsync(Timeout), ReadComparer.Instance);
        Assert.Equal(new Read(ReceiveOutcome.Message, WebSocketMessageType.Text, "second"u8.ToArray()), await reads.ReadAsync(Timeout), ReadComparer.Instance);
        Assert.Equal(new Read(ReceiveOutcome.Message, WebSocketMessageType.Binary, []), await reads.ReadAsync(Timeout), ReadComparer.Instance);
        Assert.Equal(new Read(ReceiveOutcome.Message, WebSocketMessageType.Binary, Pattern(5000)), await reads.ReadAsync(Timeout), ReadComparer.Instance);
        Assert.Equal(new Read(ReceiveOutcome.Message, WebSocketMessageType.Text, "fifth"u8.ToArray()), await reads.ReadAsync(Timeout), ReadComparer.Instance);
    }

    [Fact]
    public async Task Close_from_the_peer_is_closed()
    {
        var (server, reads) = await StartReaderAsync(maxBytes: 1024);
        await using var _ = server;
        using var client = await server.ConnectAsync(Timeout);

        await client.SendAsync("last"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, Timeout);
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", Timeout);

        Assert.Equal(ReceiveOutcome.Message, (await reads.ReadAsync(Timeout)).Outcome);
        Assert.Equal(ReceiveOutcome.Closed, (await reads.ReadAsync(Timeout)).Outcome);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }

    [Fact]
    public async Task Close_in_the_middle_of_a_message_is_closed()
    {
        var (server, reads) = await StartReaderAsync(maxBytes: 1 << 16);
        await using var _ = server;
        using var client = await server.ConnectAsync(Timeout);

        await client.SendAsync(Pattern(5000), WebSocketMessageType.Text, endOfMessage: false, Timeout);
        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, Timeout);

        var read = await reads.ReadAsync(Timeout);
        Assert.Equal(ReceiveOutcome.Closed, read.Outcome);
        Assert.Empty(read.Bytes);
    }

    [Fact]
    public async Task Disposing_two_copies_of_a_message_returns_its_buffer_to_the_pool_once()
    {
        var received = new TaskCompletionSource<ReceivedMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await WebSocketServer.StartAsync(async socket =>
        {
            received.SetResult(await WebSocketMessageReader.ReceiveAsync(socket, 1024, Timeout));
            await done.Task;
        });
        using var client = await server.ConnectAsync(Timeout);
        await client.SendAsync("hello"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, Timeout);
        var message = await received.Task;
        var buffer = message.Memory;
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(buffer, out var segment));

        var copy = message;
        message.Dispose();
        copy.Dispose();
        message.Dispose();

        // Returned twice, the pool would hand the same array to two renters.
        var first = ArrayPool<byte>.Shared.Rent(segment.Array!.Length);
        var second = ArrayPool<byte>.Shared.Rent(segment.Array.Length);
        try
        {
            Assert.NotSame(first, second);
            Assert.True(copy.Span.IsEmpty);
            Assert.True(message.Memory.IsEmpty);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(first);
            ArrayPool<byte>.Shared.Return(second);
            done.SetResult();
        }
    }

    [Fact]
    public async Task Negative_limit_is_refused()
    {
        await using var server = await WebSocketServer.StartAsync(_ => Task.CompletedTask);
        using var client = await server.ConnectAsync(Timeout);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await WebSocketMessageReader.ReceiveAsync(client, -1, Timeout));
    }

    [Fact]
    public async Task Int32_max_limit_reads_a_message()
    {
        // maxBytes + 1 used to overflow into a negative buffer size.
        var (server, reads) = await StartReaderAsync(int.MaxValue);
        await using var _ = server;
        using var client = await server.ConnectAsync(Timeout);

        await SendInFramesAsync(client, Pattern(10_000), 3000);

        Assert.Equal(Pattern(10_000), (await reads.ReadAsync(Timeout)).Bytes);
    }

    private sealed class ReadComparer : IEqualityComparer<Read>
    {
        public static readonly ReadComparer Instance = new();

        public bool Equals(Read? x, Read? y) =>
            x is not null && y is not null && x.Outcome == y.Outcome && x.Type == y.Type && x.Bytes.AsSpan().SequenceEqual(y.Bytes);

        public int GetHashCode(Read obj) => obj.Bytes.Length;
    }
}
