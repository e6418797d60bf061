using System.Diagnostics;
using Dandelion.Entrance.Configuration;
using Dandelion.Entrance.Peers;
using Dandelion.Entrance.Search;
using Dandelion.Entrance.Sessions;
using Microsoft.Extensions.Options;

namespace Dandelion.EntranceLoad;

/// <summary>The index alone, in this process: memory per box and the CPU one SEARCH costs (query and reply).</summary>
internal static class IndexBench
{
    public static void Run(int size, bool city)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var index = new BoxIndex(Options.Create(new EntranceOptions()));
        var random = new Random(7);
        var now = DateTimeOffset.UtcNow;
        using (index.Write())
        {
            for (var i = 0; i < size; i++)
            {
                var (lat, lon) = city ? Places.City(random) : Places.Globe(random);
                var box = Population.Box(i, lat, lon);
                index.Apply(i % 64, new FeedChange(FeedChange.Upserted, i + 1, [box.Id], now.AddHours(1).ToUnixTimeMilliseconds(), false,
                    IndexRecord.Parse(box.ToUtf8())!));
            }
        }
        var perBox = (GC.GetTotalMemory(forceFullCollection: true) - before) / (double)size;

        var self = new EntranceSelf("entrance-0123456789abcdef0123456789abcdef", "127.0.0.1", "8000", ["ws://127.0.0.1:8000/dandelion/ws/"]);
        var nobody = new HashSet<string>();
        var times = new List<double>(20_000);
        long replyBytes = 0;
        var cpu = TimeSpan.Zero;
        for (var n = 0; n < 22_000; n++)
        {
            var (lat, lon) = city ? Places.City(random) : Places.Globe(random);
            var started = Stopwatch.GetTimestamp();
            var hits = index.Find(lat, lon, 20, nobody, now);
            var reply = SearchReplyWriter.Write(self, true, maxMessageBytes: null, hits, grantFor: null);
            if (n == 1_999)
                cpu = Process.GetCurrentProcess().TotalProcessorTime;
            if (n >= 2_000) // after warming up
            {
                times.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
                replyBytes += reply.Length;
            }
        }
        var cpuEach = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / times.Count;
        times.Sort();
        var finds = new List<double>(20_000);
        for (var n = 0; n < 20_000; n++)
        {
            var (lat, lon) = city ? Places.City(random) : Places.Globe(random);
            var started = Stopwatch.GetTimestamp();
            index.Find(lat, lon, 20, nobody, now);
            finds.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
        }
        finds.Sort();
        Console.WriteLine($"| {size:N0} | {(city ? "one city" : "globe")} | {perBox:0} B | {times[times.Count / 2]:0} µs | {times[(int)(times.Count * 0.99)]:0} µs | {cpuEach:0} µs CPU, {1e6 / cpuEach:N0}/s | {replyBytes / times.Count:N0} B | query alone p50 {finds[finds.Count / 2]:0} µs |");
    }
}
