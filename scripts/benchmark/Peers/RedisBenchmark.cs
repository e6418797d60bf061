using System.Diagnostics;
using System.Globalization;

namespace Dandelion.Benchmark.Peers;

/// <summary>
/// redis-benchmark (redis-tools) running given commands against the same Redis: how many times
/// per second Redis alone could run that set of commands, with nothing of ours in between.
/// </summary>
internal static class RedisBenchmark
{
    public sealed record Result(double SetsPerSecond, IReadOnlyList<(string Command, double PerSecond)> Commands);

    /// <summary>
    /// Runs each command on its own (50 clients, pipelines of 16) with <paramref name="marker"/>
    /// replaced by random numbers wherever it appears, so each request touches another node;
    /// the set's rate is 1 / Σ(1 / rate of each command).
    /// </summary>
    public static async Task<Result> RunAsync(int port, IReadOnlyList<IReadOnlyList<string>> commands, string marker, int requests,
        CancellationToken cancellationToken)
    {
        var rates = new List<(string, double)>();
        foreach (var command in commands)
        {
            var start = new ProcessStartInfo("redis-benchmark") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-c", "50", "-P", "16",
                         "-n", requests.ToString(CultureInfo.InvariantCulture), "-r", "1000000", "--csv" })
                start.ArgumentList.Add(argument);
            foreach (var argument in command)
                start.ArgumentList.Add(argument.Replace(marker, "__rand_int__", StringComparison.Ordinal));
            using var process = Process.Start(start) ?? throw new InvalidOperationException("redis-benchmark did not start: run ./scripts/setup.sh.");
            var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            // "test","rps",…  then  "GEOADD …","123456.79",… : the test name is the command and may hold
            // commas and quotes itself, so the rate is read as the seventh field from the end.
            var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
            var fields = line.Split(',');
            if (process.ExitCode != 0 || fields.Length < 8 || !double.TryParse(fields[^7].Trim('"'), CultureInfo.InvariantCulture, out var rate))
                throw new InvalidOperationException($"redis-benchmark failed on {command[0]}: {output}{await process.StandardError.ReadToEndAsync(cancellationToken)}");
            rates.Add((command[0].ToUpperInvariant(), rate));
        }
        return new Result(rates.Count == 0 ? 0 : 1 / rates.Sum(r => 1 / r.Item2), rates);
    }
}
