namespace Dandelion.Benchmark.Load;

/// <summary>
/// One line the benchmark writes to a worker's standard input (JSON). <c>Op</c>: <c>open</c>
/// (open <c>Count</c> more version 2 sessions heartbeating every <c>HeartbeatSeconds</c>),
/// <c>reset</c> (start counting afresh), <c>report</c>, <c>closed</c> (run <c>Kind</c> in a
/// closed loop at <c>Concurrency</c> for <c>Seconds</c>), <c>close</c> (end every session).
/// </summary>
/// <param name="Kind"><c>v1</c>: connect, EXCHANGE, close, as an original box; <c>exchange</c>: EXCHANGE on a held
/// version 2 session; <c>search</c>: SEARCH on a held socket.</param>
/// <param name="Sources">Loopback addresses connections are made from, in turn.</param>
/// <param name="Ips">Public addresses put in <c>IP</c>, in turn: where the entrance places each simulated node.</param>
/// <param name="Seed">First number of this worker's node ids, so workers never share an id.</param>
internal sealed record WorkerCommand(
    string Op,
    string? Url = null,
    string? Kind = null,
    int Count = 0,
    int Concurrency = 0,
    double Seconds = 0,
    double HeartbeatSeconds = 10,
    int RampPerSecond = 1000,
    string[]? Sources = null,
    string[]? Ips = null,
    long Seed = 0);
