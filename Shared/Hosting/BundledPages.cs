using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.FileProviders;

namespace Dandelion.Shared.Hosting;

/// <summary>The web pages an app ships (the entrance's dashboard, the publisher's player).</summary>
public static class BundledPages
{
    /// <summary>
    /// Serves the folder <paramref name="folder"/> beside the assembly (the project file copies it
    /// there), <c>index.html</c> for <c>/</c>, so the pages are found whatever the working
    /// directory the app is started from.
    /// </summary>
    public static WebApplication UseBundledPages(this WebApplication app, string folder)
    {
        var pages = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, folder));
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = pages });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = pages });
        return app;
    }
}
