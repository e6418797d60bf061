using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Dandelion.Benchmark.Peers;

/// <summary>wrk (Debian package, installed by scripts/setup.sh): HTTP requests per second over keep-alive connections.</summary>
internal static partial class Wrk
{
    public sealed record Result(double RequestsPerSecond, double P50Ms, double P99Ms, long Requests, long Errors, string Transfer);

    /// <summary>Runs wrk with 2 threads against <paramref name="url"/>; <c>Errors</c> counts socket errors and responses outside the expected status.</summary>
    public static async Task<Result> RunAsync(string url, int connections, TimeSpan duration, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-t2", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "--latency", "--timeout", "10s", url })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start: run ./scripts/setup.sh.");
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0 || !RequestsPerSecond().IsMatch(output))
            throw new InvalidOperationException($"wrk failed ({process.ExitCode}): {output}{await process.StandardError.ReadToEndAsync(cancellationToken)}");
        long errors = 0;
        foreach (Match m in SocketErrors().Matches(output))
            errors += Enumerable.Range(1, 4).Sum(g => long.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture));
        if (NonSuccess().Match(output) is { Success: true } bad)
            errors += long.Parse(bad.Groups[1].Value, CultureInfo.InvariantCulture);
        return new Result(
            double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture),
            Percentile(output, "50%"), Percentile(output, "99%"),
            long.Parse(Requests().Match(output).Groups[1].Value, CultureInfo.InvariantCulture), errors,
            Transfer().Match(output).Groups[1].Value);
    }

    /// <summary>
    /// wrk against <paramref name="url"/> for a few seconds, not measured: a freshly started .NET
    /// process compiles its hot path again at full optimisation once it runs hot (tiered
    /// compilation), which would otherwise fall inside the measured seconds. Peers get the same.
    /// </summary>
    public static Task WarmUpAsync(string url, int connections, bool smoke, CancellationToken cancellationToken) =>
        RunAsync(url, connections, TimeSpan.FromSeconds(smoke ? 1 : 4), cancellationToken);

    private static double Percentile(string output, string label)
    {
        var m = Regex.Match(output, $@"^\s*{Regex.Escape(label)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!m.Success)
            return double.NaN;
        var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex Requests();

    [GeneratedRegex(@"Transfer/sec:\s+(\S+)")]
    private static partial Regex Transfer();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex NonSuccess();
}
