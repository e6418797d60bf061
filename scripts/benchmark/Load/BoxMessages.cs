using System.Globalization;
using Dandelion.Shared.Auth;
using Dandelion.Shared.Protocol;

namespace Dandelion.Benchmark.Load;

/// <summary>
/// The messages simulated nodes send, built from the protocol's own records (Shared/Protocol)
/// with the figures a real box reports, so the entrance parses and stores what it would in use.
/// </summary>
internal static class BoxMessages
{
    /// <summary>The node secret the run's entrances are given: every simulated version 2 node shows the credential of its id, as enrolled nodes do.</summary>
    public const string Secret = "benchmark-run-node-secret";

    /// <summary>A box id of the form the entrance accepts: <c>box-</c> and 32 hex digits, from a number.</summary>
    public static string BoxId(long number) => "box-" + number.ToString("x32", CultureInfo.InvariantCulture);

    public static string PublisherId(long number) => "publisher-" + number.ToString("x32", CultureInfo.InvariantCulture);

    /// <param name="ip">The public address the box reports in <c>IP</c>; the entrance places a loopback client by it.</param>
    /// <param name="sequence">Null for a version 1 EXCHANGE.</param>
    public static byte[] Exchange(string boxId, string ip, long? sequence)
    {
        var request = new ExchangeRequest
        {
            Id = boxId,
            Ip = ip,
            Port = "8080",
            Type = NodeTypes.Box,
            Command = Commands.Exchange,
            ConnectWs = $"http://{ip}:8080/dandelion/{boxId}/ws/",
            CpuHz = "2400", CpuNum = "4", CpuUser = "3.1", CpuSystem = "1.2", CpuNice = "0", CpuIdle = "95.2",
            CpuIoWait = "0.3", CpuIrq = "0", CpuSoftIrq = "0.2", LoadAverage1 = "0.31", LoadAverage5 = "0.28", LoadAverage15 = "0.25",
            MemoryTotal = "4102328320", MemoryAvailable = "2811428864", DiskTotal = "62725623808", DiskAvailable = "40127086592",
        };
        if (sequence is { } seq)
        {
            request = request with
            {
                Version = ProtocolVersion.V2,
                Sequence = seq,
                HttpUrl = $"http://{ip}:8081/",
                StorageQuota = 10L << 30,
                StorageUsed = 1L << 30,
                Files = 120,
                BandwidthCeiling = 12_500_000,
                BandwidthUsed = 1_000_000,
                State = "ACTIVE",
                Traffic = [],
                Token = NodeToken.Compute(Secret, boxId),
            };
        }
        return ProtocolJson.Serialize(request, ProtocolJsonContext.Default.ExchangeRequest);
    }

    /// <summary>A version 2 SEARCH for the default count of boxes, ranked from the publisher's address <paramref name="ip"/>.</summary>
    public static byte[] Search(string publisherId, string ip) =>
        ProtocolJson.Serialize(new SearchRequest
        {
            Id = publisherId,
            Ip = ip,
            Type = NodeTypes.Publisher,
            Command = Commands.Search,
            Version = ProtocolVersion.V2,
            Token = NodeToken.Compute(Secret, publisherId),
        }, ProtocolJsonContext.Default.SearchRequest);
}
