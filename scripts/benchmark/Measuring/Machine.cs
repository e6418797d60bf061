using System.Globalization;

namespace Dandelion.Benchmark.Measuring;

/// <summary>What the figures were measured on, and how busy the machine was with other work.</summary>
internal static class Machine
{
    public static string Describe()
    {
        var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var memory = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var kernel = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        return string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores ({model}), {long.Parse(memory, CultureInfo.InvariantCulture) / 1048576.0:0} GiB memory, Linux {kernel}, .NET {Environment.Version}, open-file limit {OpenFileLimit()}");
    }

    /// <summary>The 1, 5 and 15 minute load averages, e.g. <c>0.42 0.80 1.10</c>.</summary>
    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    /// <summary>The hard limit on open files of this process (its children inherit it).</summary>
    public static long OpenFileLimit()
    {
        var line = File.ReadLines("/proc/self/limits").First(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return long.TryParse(parts[4], CultureInfo.InvariantCulture, out var hard) ? hard : long.MaxValue;
    }

    /// <summary>Busy share of all cores since <paramref name="before"/> (from <c>/proc/stat</c>), in percent of the machine.</summary>
    public static double BusyPercentSince((long Busy, long Total) before)
    {
        var now = CpuTicks();
        var total = now.Total - before.Total;
        return total <= 0 ? 0 : 100.0 * (now.Busy - before.Busy) / total;
    }

    public static (long Busy, long Total) CpuTicks()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var idle = fields[3] + fields[4];
        var total = fields.Take(8).Sum();
        return (total - idle, total);
    }
}
