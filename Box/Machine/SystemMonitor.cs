using Dandelion.Box.Node;

namespace Dandelion.Box.Machine;

/// <summary>
/// Reads the machine's figures from Linux's <c>/proc</c> and the storage volume. CPU shares
/// are the change since the previous <see cref="Sample"/> (one per heartbeat); elsewhere
/// than Linux the /proc figures are 0.
/// </summary>
internal sealed class SystemMonitor(IOptions<BoxOptions> options)
{
    private readonly object _gate = new();
    private long[]? _previous;

    public SystemFigures Sample()
    {
        var (user, system, nice, idle, io, irq, softIrq) = CpuShares();
        var (load1, load5, load15) = LoadAverages();
        var (memTotal, memAvailable) = Memory();
        var (diskTotal, diskAvailable) = Disk(options.Value.StoragePath);
        return new SystemFigures(CpuMhz(), Environment.ProcessorCount, user, system, nice, idle, io, irq, softIrq,
            load1, load5, load15, memTotal, memAvailable, diskTotal, diskAvailable);
    }

    private (double, double, double, double, double, double, double) CpuShares()
    {
        // "cpu  user nice system idle iowait irq softirq steal ..." in clock ticks since boot.
        var line = ReadLines("/proc/stat").FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        if (line is null)
            return default;
        var now = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(v => long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0).ToArray();
        if (now.Length < 7)
            return default;

        long[] delta;
        lock (_gate)
        {
            delta = _previous is null ? now : now.Zip(_previous, (a, b) => Math.Max(0, a - b)).ToArray();
            _previous = now;
        }
        double total = delta.Sum();
        if (total <= 0)
            return default;
        double Share(int i) => Math.Round(100 * delta[i] / total, 1);
        return (Share(0), Share(2), Share(1), Share(3), Share(4), Share(5), Share(6));
    }

    private static (double, double, double) LoadAverages()
    {
        var parts = ReadLines("/proc/loadavg").FirstOrDefault()?.Split(' ');
        if (parts is null || parts.Length < 3)
            return default;
        return (Number(parts[0]), Number(parts[1]), Number(parts[2]));
    }

    private static (long, long) Memory()
    {
        long total = 0, available = 0;
        foreach (var line in ReadLines("/proc/meminfo"))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                total = Kibibytes(line);
            else if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                available = Kibibytes(line);
        }
        return (total, available);
    }

    private static double CpuMhz()
    {
        var line = ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("cpu MHz", StringComparison.Ordinal));
        if (line is not null)
            return Math.Round(Number(line[(line.IndexOf(':') + 1)..]), 3);
        // ARM boards have no "cpu MHz" line; cpufreq gives kHz.
        var khz = ReadLines("/sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq").FirstOrDefault();
        return khz is null ? 0 : Number(khz) / 1000;
    }

    private static (long, long) Disk(string path)
    {
        try
        {
            var drive = new DriveInfo(Path.GetFullPath(path));
            return (drive.TotalSize, drive.AvailableFreeSpace);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return (0, 0);
        }
    }

    private static long Kibibytes(string line)
    {
        var value = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1);
        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var kib) ? kib * 1024 : 0;
    }

    private static double Number(string text) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : 0;

    private static IEnumerable<string> ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
