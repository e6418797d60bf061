using System.Runtime.InteropServices;
using Dandelion.LocalNetwork;

// ./scripts/run-local.sh: the whole network on this machine until Ctrl-C (README.md, "Local network").
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Ours to stop the children in order; a second Ctrl-C while stopping is ignored too.
    e.Cancel = true;
    stop.Cancel();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

// --segment-seconds N (1-10, default 2): the HLS segment length ffmpeg cuts (docs/PUBLISHER.md, Latency).
var segmentSeconds = new LocalNetworkOptions().SegmentSeconds;
if (args is ["--segment-seconds", var given] && int.TryParse(given, out var seconds) && seconds is >= 1 and <= 10)
{
    segmentSeconds = seconds;
}
else if (args.Length > 0)
{
    Console.Error.WriteLine("usage: ./scripts/run-local.sh [--segment-seconds N]   (N from 1 to 10; default 2)");
    return 2;
}

Console.WriteLine("local: starting Redis, the entrance, 3 boxes, the publisher and ffmpeg…");
Network network;
try
{
    // Progress<T> would post to the thread pool and could print out of order: print at once instead.
    network = await Network.StartAsync(new LocalNetworkOptions { Progress = new ConsoleSteps(), SegmentSeconds = segmentSeconds, Renditions = 3 }, stop.Token);
}
catch (OperationCanceledException)
{
    Console.WriteLine("local: stopped before the network was up.");
    return 1;
}
catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or FileNotFoundException)
{
    Console.Error.WriteLine($"local: {ex.Message}");
    return 1;
}

await using (network)
{
    Console.WriteLine($"""
        local: up. Data and logs in {network.RunDirectory}
          player     {network.PlayerUrl}
          dashboard  {network.DashboardUrl}
        Ctrl-C stops everything.
        """);
    var width = 0;
    using var ticks = new PeriodicTimer(TimeSpan.FromSeconds(1));
    try
    {
        while (await ticks.WaitForNextTickAsync(stop.Token))
        {
            var line = "local: " + await network.SnapshotAsync(stop.Token);
            // One line, rewritten in place; padded so a shorter line hides a longer one.
            Console.Write("\r" + line.PadRight(width));
            width = Math.Max(width, line.Length);
        }
    }
    catch (OperationCanceledException)
    {
    }
    Console.WriteLine();
    Console.WriteLine("local: stopping…");
}
Console.WriteLine("local: stopped; every process it started has exited.");
return 0;
