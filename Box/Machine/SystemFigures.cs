namespace Dandelion.Box.Machine;

/// <summary>
/// What the OS says about the machine, as the original reports it: CPU shares in percent
/// since the previous sample, load averages, memory and disk in bytes, CPU clock in MHz.
/// </summary>
internal sealed record SystemFigures(
    double CpuMhz, int CpuCount,
    double User, double System, double Nice, double Idle, double IoWait, double Irq, double SoftIrq,
    double Load1, double Load5, double Load15,
    long MemoryTotal, long MemoryAvailable,
    long DiskTotal, long DiskAvailable);
