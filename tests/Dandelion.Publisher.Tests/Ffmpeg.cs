using System.Diagnostics;

namespace Dandelion.Publisher.Tests;

/// <summary>Runs ffmpeg (installed by scripts/setup.sh) to make a short HLS stream from a test source.</summary>
internal static class Ffmpeg
{
    public static async Task<string> EncoderAsync()
    {
        var encoders = await RunAsync(["-hide_banner", "-encoders"]);
        return encoders.Contains(" libx264 ", StringComparison.Ordinal) ? "libx264" : "mpeg2video";
    }

    /// <summary>Writes <c>{directory}/stream.m3u8</c> and its segments, in real time, and returns when ffmpeg is done.</summary>
    public static async Task HlsAsync(string directory, int seconds, bool keepEverySegment)
    {
        var encoder = await EncoderAsync();
        var arguments = new List<string>
        {
            "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-t", seconds.ToString(),
            "-c:v", encoder, "-g", "25", "-f", "hls", "-hls_time", "1",
        };
        arguments.AddRange(keepEverySegment
            ? ["-hls_list_size", "0", "-hls_flags", "temp_file"]
            : ["-hls_list_size", "3", "-hls_flags", "delete_segments+temp_file"]);
        arguments.Add(Path.Combine(directory, "stream.m3u8"));
        await RunAsync(arguments);
    }

    private static async Task<string> RunAsync(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start: run scripts/setup.sh.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"ffmpeg exited with {process.ExitCode}: {await error}");
        return await output;
    }
}
