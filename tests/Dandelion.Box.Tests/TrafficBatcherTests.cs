using Dandelion.Box.Entrances;
using Dandelion.Box.Traffic;
using Dandelion.Shared.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dandelion.Box.Tests;

/// <summary>
/// Traffic batches against an entrance with a limit, said or not, over a real outbox: every
/// entry that can go goes exactly once, no message is over the limit once it is known, and an
/// entry too big even alone is dropped.
/// </summary>
public sealed class TrafficBatcherTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("dandelion-batcher-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    public static TheoryData<string, int, bool, int[]> Entrances() => new()
    {
        // what, the entrance's limit, whether it says it (MAX_MESSAGE_BYTES), path lengths of the entries
        { "our default, said", 64 * 1024, true, Lengths(3000, 40) },
        { "small, said", 2048, true, Lengths(500, 300) },
        { "small, not said (an original entrance)", 4096, false, Lengths(400, 1500) },
        { "one entry too big alone, said", 4096, true, [.. Lengths(20, 100), 6000, .. Lengths(20, 100)] },
        { "one entry too big alone, not said", 4096, false, [.. Lengths(20, 1500), 6000, .. Lengths(20, 200)] },
        { "every entry too big alone", 1024, false, Lengths(5, 2000) },
    };

    [Theory]
    [MemberData(nameof(Entrances))]
    public void Every_entry_that_fits_goes_exactly_once_and_one_too_big_alone_is_dropped(string what, int limit, bool said, int[] lengths)
    {
        using var outbox = TestStores.Outbox(TestStores.Options(_data));
        outbox.Append(lengths.Select((n, i) => new ServedRequest($"/{i}/{new string('a', n)}", 200, i, null)).ToList(), new LogPosition(1, 1));
        var batcher = new TrafficBatcher("ws://entrance/", outbox, TestStores.Metrics(), NullLogger.Instance);
        var received = new List<long>();
        var refusals = 0;
        if (said)
            batcher.Accepted(limit); // the reply to the session's first EXCHANGE, which carries no traffic

        for (var heartbeat = 0; outbox.Count > 0; heartbeat++)
        {
            Assert.True(heartbeat < 1000, $"{what}: the backlog never drained");
            var batch = batcher.Fill(Render, ExchangeBuilder.Version2Bytes);
            if (said)
                Assert.True(batch.Bytes <= limit, $"{what}: {batch.Bytes} bytes sent to an entrance that said {limit}");
            if (batch.Bytes > limit)
            {
                refusals++;
                batcher.Refused();
                continue;
            }
            var sent = Parse(batch.Message);
            received.AddRange(sent);
            Assert.Equal(sent.Count, batch.Count);
            batcher.Accepted(said ? limit : null);
            if (batch.LastId is { } last)
                outbox.Acknowledge(last);
        }

        var fitting = lengths.Select((n, i) => (Id: i + 1L, Alone: Render([Entry(i + 1, n)]).Length)).Where(e => e.Alone <= limit).Select(e => e.Id);
        Assert.Equal(fitting, received);
        Assert.True(refusals <= 20, $"{what}: {refusals} refusals");
    }

    private static int[] Lengths(int count, int length) => Enumerable.Repeat(length, count).ToArray();

    private static TrafficEntry Entry(long id, int length) => new() { Id = id, Url = $"/{id - 1}/{new string('a', length)}", Status = 200, Size = id - 1 };

    private static byte[] Render(IReadOnlyList<TrafficEntry> traffic) => ProtocolJson.Serialize(new ExchangeRequest
    {
        Id = "box-0123456789abcdef0123456789abcdef", Ip = "203.0.113.7", Port = "8080", Type = NodeTypes.Box, Command = Commands.Exchange,
        Version = ProtocolVersion.V2, CpuHz = "2400", MemoryTotal = "8000000", Sequence = 7, Traffic = traffic,
    }, ProtocolJsonContext.Default.ExchangeRequest);

    private static List<long> Parse(byte[] message)
    {
        Assert.True(ProtocolJson.TryParse(message, ProtocolJsonContext.Default.ExchangeRequest, out var exchange, out var error), error?.Message);
        return exchange.Traffic?.Select(e => e.Id).ToList() ?? [];
    }
}
