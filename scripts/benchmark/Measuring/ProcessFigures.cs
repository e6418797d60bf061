using System.Globalization;

namespace Dandelion.Benchmark.Measuring;

/// <summary>A process's CPU time and memory from <c>/proc</c>: read once before and once after a measurement.</summary>
internal readonly record struct ProcessFigures(TimeSpan Cpu, long RssBytes, long PeakRssBytes, long Timestamp)
{
    // USER_HZ: 100 on every Linux this runs on (sysconf(_SC_CLK_TCK)).
    private const double TicksPerSecond = 100;

    /// <summary>The process and every process below it (nginx's workers under its master), added up.</summary>
    public static ProcessFigures Read(int pid)
    {
        var own = ReadOne(pid);
        foreach (var child in Children(pid))
        {
            var more = Read(child);
            own = own with { Cpu = own.Cpu + more.Cpu, RssBytes = own.RssBytes + more.RssBytes, PeakRssBytes = own.PeakRssBytes + more.PeakRssBytes };
        }
        return own;
    }

    private static IEnumerable<int> Children(int pid)
    {
        var children = new List<int>();
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                children.AddRange(File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Select(c => int.Parse(c, CultureInfo.InvariantCulture)));
            }
            catch (IOException)
            {
            }
        }
        return children;
    }

    private static ProcessFigures ReadOne(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name, which is in parentheses and may hold spaces.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        long rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                rss = Kilobytes(line);
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                peak = Kilobytes(line);
        }
        return new ProcessFigures(TimeSpan.FromSeconds(ticks / TicksPerSecond), rss, peak, System.Diagnostics.Stopwatch.GetTimestamp());
    }

    /// <summary>Share of one core used between <paramref name="before"/> and this reading, in percent.</summary>
    public double CpuPercentSince(ProcessFigures before)
    {
        var wall = System.Diagnostics.Stopwatch.GetElapsedTime(before.Timestamp, Timestamp);
        return wall <= TimeSpan.Zero ? 0 : 100 * (Cpu - before.Cpu) / wall;
    }

    /// <summary>CPU time used since <paramref name="before"/> per operation, in microseconds: steadier than rates on a busy machine.</summary>
    public string CpuPer(ProcessFigures before, long operations, string what) =>
        operations <= 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"{(Cpu - before.Cpu).TotalMicroseconds / operations:0} µs CPU per {what}");

    /// <summary><c>entrance 143 % CPU, 212 MiB</c>: CPU over the window, resident memory at its end.</summary>
    public string Describe(string name, ProcessFigures before) =>
        string.Create(CultureInfo.InvariantCulture, $"{name} {CpuPercentSince(before):0} % CPU, {RssBytes / 1048576.0:0} MiB");

    private static long Kilobytes(string line) =>
        1024 * long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
