namespace Dandelion.Publisher.Live;

internal static class LiveSetup
{
    /// <summary>The live directory watcher and the playlists it serves.</summary>
    public static WebApplicationBuilder AddLive(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LivePlaylists>();
        builder.Services.AddHostedService<LiveWatcher>();
        return builder;
    }
}
