using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;
using Dandelion.Entrance.Traffic;
using Dandelion.Shared.Protocol;

namespace Dandelion.Entrance.Tests.Unit;

/// <summary>
/// Traffic counting's bounds (<see cref="TrafficBatch.Read"/>) over generated EXCHANGEs: whatever
/// sizes a box claims (any 64-bit number, as number or text, in either version's form), what is
/// counted lies in 0..<c>MaxTrafficSize</c>, a refused claim still consumes its ID, a claim in range
/// is counted as claimed, and a whole batch's sum cannot overflow.
/// </summary>
public sealed class TrafficBatchProperties
{
    private static readonly Gen<long> Sizes = Gen.Frequency(
        (3, Gen.Long),
        (3, Gen.Long[0, 1L << 31]),
        (1, Gen.OneOf(0L, -1L, long.MinValue, long.MaxValue, 1L << 30, (1L << 30) + 1, 1L << 40, (1L << 40) + 1)));

    // A size as a box may write it: a number, a digit string (the original's), or something else.
    private static readonly Gen<string> Written = Gen.Frequency(
        (4, Sizes.Select(n => n.ToString(CultureInfo.InvariantCulture))),
        (2, Sizes.Select(n => $"\"{n.ToString(CultureInfo.InvariantCulture)}\"")),
        (1, Gen.OneOf("1e300", "-0", "\"+5\"", "\" 5\"", "\"0x10\"", "null", "[]", "{}", "9223372036854775808", "\"99999999999999999999\"")));

    private static readonly Gen<(string Json, int Numbered)> Exchanges =
        Gen.Select(Gen.Select(Gen.Long[-3, long.MaxValue], Written).Array[0, 30], Written.Array[0, 10], (numbered, keyed) =>
        {
            var json = new StringBuilder("{\"ID\":\"box-").Append('a', 32).Append("\",\"COMMAND\":\"EXCHANGE\",\"TRAFFIC\":[");
            json.AppendJoin(',', numbered.Select(e => $"{{\"ID\":{e.Item1},\"SIZE\":{e.Item2},\"URL\":\"/p/a.ts\",\"STATUS\":200}}"));
            json.Append(']');
            for (var i = 0; i < keyed.Length; i++)
                json.Append(CultureInfo.InvariantCulture, $",\"box:TRAFFIC_FLOW:log-{i}\":{{\"size\":{keyed[i]},\"url\":\"/p/a.ts\",\"status\":\"200\"}}");
            return (json.Append('}').ToString(), numbered.Count(e => e.Item1 >= 0));
        });

    [Fact]
    public void Counted_sizes_lie_within_bounds_refused_ones_still_consume_their_id_and_a_batch_cannot_overflow()
    {
        Gen.Select(Exchanges, Gen.Long[1, 1L << 40]).Sample((exchange, maxSize) =>
        {
            var bytes = Encoding.UTF8.GetBytes(exchange.Json);
            if (!ProtocolJson.TryParse(bytes, ProtocolJsonContext.Default.ExchangeRequest, out var request, out _))
                return; // a SIZE no lenient converter takes: the whole message is bad-json, nothing counted
            using var document = JsonDocument.Parse(bytes);
            var batch = TrafficBatch.Read(request, document.RootElement, maxSize);

            Assert.Equal(exchange.Numbered, batch.Numbered.Count);
            Assert.All(batch.Numbered, e => Assert.True(e.Size == TrafficBatch.Refused || e.Size >= 0 && e.Size <= maxSize, $"{e.Size}"));
            Assert.All(batch.Keyed, e => Assert.InRange(e.Size, 0, maxSize));
            var entries = request.Traffic!.Where(e => e is not null && e.Id >= 0).ToList();
            for (var i = 0; i < entries.Count; i++)
                Assert.Equal(entries[i].Size is >= 0 && entries[i].Size <= maxSize ? entries[i].Size : TrafficBatch.Refused, batch.Numbered[i].Size);
            var total = checked(batch.Numbered.Where(e => e.Size > 0).Sum(e => e.Size) + batch.Keyed.Sum(e => e.Size));
            Assert.InRange(total, 0, (long)(batch.Numbered.Count + batch.Keyed.Count) * maxSize);
        }, iter: 10_000, threads: 1);
    }
}
