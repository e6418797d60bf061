using Microsoft.Extensions.FileProviders;

namespace Dandelion.Publisher.Player;

/// <summary>
/// The live player page: <c>GET /</c> is <c>wwwroot/index.html</c> (hls.js in <c>wwwroot/vendor/</c>,
/// put there by scripts/setup.sh), playing <c>/live/{stream}.m3u8</c>.
/// </summary>
internal static class PlayerSetup
{
    public static WebApplication UsePlayer(this WebApplication app)
    {
        // The pages are copied beside the assembly (Dandelion.Publisher.csproj), so they are found
        // whatever the working directory the publisher is started from.
        var pages = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "player"));
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = pages });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = pages });
        return app;
    }
}
