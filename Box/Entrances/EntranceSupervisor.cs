using Dandelion.Box.Node;

namespace Dandelion.Box.Entrances;

/// <summary>Runs one <see cref="EntranceLink"/> per known entrance, starting one for each entrance learnt.</summary>
internal sealed partial class EntranceSupervisor(EntranceDirectory directory, IServiceProvider services, IOptions<BoxOptions> options,
    IHostApplicationLifetime lifetime, ILogger<EntranceSupervisor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken hostStopping)
    {
        // The sessions end the moment the stop is asked for, not when the host reaches this
        // service (after the web server has drained): a stopping box leaves the network at once,
        // and each entrance hears so (a closed version 2 session removes the box).
        using var leaving = CancellationTokenSource.CreateLinkedTokenSource(hostStopping, lifetime.ApplicationStopping);
        var stoppingToken = leaving.Token;
        if (options.Value.Entrances.Count == 0)
            Log.NoEntrances(logger);
        directory.AddConfigured(options.Value.Entrances);

        var sessions = new List<Task>();
        try
        {
            await foreach (var url in directory.Added.ReadAllAsync(stoppingToken))
            {
                Log.Starting(logger, url, directory.IsConfigured(url) ? "configured" : "advertised");
                var link = ActivatorUtilities.CreateInstance<EntranceLink>(services, url);
                sessions.Add(RunAsync(link, url, stoppingToken));
                sessions.RemoveAll(s => s.IsCompleted);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(sessions);
    }

    private async Task RunAsync(EntranceLink link, string url, CancellationToken stoppingToken)
    {
        await Task.Yield();
        await link.RunAsync(stoppingToken);
        // Forgotten, so that being advertised again starts a new session.
        directory.Remove(url);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "No entrance configured (Box:Entrances): the box serves but no publisher will find it")]
        public static partial void NoEntrances(ILogger logger);

        [LoggerMessage(2, LogLevel.Information, "Starting a session with {Kind} entrance {Url}")]
        public static partial void Starting(ILogger logger, string url, string kind);
    }
}
