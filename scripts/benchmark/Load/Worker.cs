using System.Text.Json;

namespace Dandelion.Benchmark.Load;

/// <summary>
/// <c>Dandelion.Benchmark worker</c>: a load-generating process. Reads one <see cref="WorkerCommand"/>
/// per line on standard input, answers each with one <see cref="WorkerReport"/> line on standard
/// output, and exits when its input closes (the benchmark ended or died).
/// </summary>
internal static class Worker
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<int> RunAsync()
    {
        var counters = new LoadCounters();
        await using var sessions = new SessionPool(counters);
        var output = Console.Out;
        while (await Console.In.ReadLineAsync() is { } line)
        {
            var command = JsonSerializer.Deserialize<WorkerCommand>(line, Json)!;
            switch (command.Op)
            {
                case "open":
                    await sessions.OpenAsync(command);
                    break;
                case "reset":
                    counters.Reset();
                    break;
                case "closed":
                    counters.Reset();
                    await new ClosedLoop(command, counters).RunAsync();
                    break;
                case "close":
                    await sessions.CloseAllAsync();
                    break;
            }
            await output.WriteLineAsync(JsonSerializer.Serialize(counters.Report(sessions.Open), Json));
            await output.FlushAsync();
        }
        return 0;
    }
}
