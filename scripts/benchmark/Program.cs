using System.Globalization;
using System.Runtime.InteropServices;
using Dandelion.Benchmark.Load;
using Dandelion.Benchmark.Peers;
using Dandelion.Benchmark.Running;

namespace Dandelion.Benchmark;

/// <summary>
/// <c>./scripts/benchmark.sh [--smoke] [--scenario NAME]… [--output FILE]</c> (BENCHMARKS.md).
/// The same dll is also its own load workers (<c>worker</c>) and canned peer (<c>peer PORT FILE</c>).
/// </summary>
internal static class BenchmarkProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["worker"])
            return await Worker.RunAsync();
        if (args is ["peer", var port, var replyFile])
            return await CannedServer.RunAsync(int.Parse(port, CultureInfo.InvariantCulture), replyFile);

        BenchmarkOptions options;
        try
        {
            options = BenchmarkOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync("benchmark: " + ex.Message);
            return 2;
        }
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        try
        {
            return await BenchmarkRun.RunAsync(options, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("benchmark: stopped; every process it started has been stopped.");
            return 130;
        }
    }
}
