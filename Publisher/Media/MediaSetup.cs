namespace Dandelion.Publisher.Media;

internal static class MediaSetup
{
    /// <summary>Viewer redirects, the origin, and offload counters.</summary>
    public static WebApplicationBuilder AddMedia(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ViewerLocator>();
        builder.Services.AddSingleton<OffloadStats>();
        return builder;
    }
}
