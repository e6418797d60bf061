namespace Dandelion.Entrance.Geo;

/// <summary>Reads the <see cref="Gazetteer"/> at start, not on the first box's EXCHANGE (and a bad file stops the start).</summary>
internal sealed class GazetteerLoad(Gazetteer gazetteer) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.FromResult(gazetteer.Count);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
