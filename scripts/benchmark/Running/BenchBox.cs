using Dandelion.LocalNetwork;

namespace Dandelion.Benchmark.Running;

/// <summary>A box the benchmark started: control port, file port (<see cref="HttpPort"/>), storage and id.</summary>
internal sealed record BenchBox(string Name, ChildProcess Process, int Port, int HttpPort, string DataDirectory, string Id)
{
    /// <summary>Where it keeps files: <c>{data}/files</c>.</summary>
    public string Storage => Path.Combine(DataDirectory, "files");
}
