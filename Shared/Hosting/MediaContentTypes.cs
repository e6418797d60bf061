using Microsoft.AspNetCore.StaticFiles;

namespace Dandelion.Shared.Hosting;

/// <summary>
/// Content types by extension: streaming ones as players expect them, the rest as ASP.NET
/// knows them. Boxes and the publisher's origin share it, so a player gets the same type
/// for a segment wherever it is served from.
/// </summary>
public static class MediaContentTypes
{
    private static readonly FileExtensionContentTypeProvider Provider = Create();

    public static string For(string path) =>
        Provider.TryGetContentType(path, out var type) ? type : "application/octet-stream";

    private static FileExtensionContentTypeProvider Create()
    {
        var provider = new FileExtensionContentTypeProvider();
        // ASP.NET's own table maps .ts to a DLNA type and lacks .m4s.
        provider.Mappings[".ts"] = "video/mp2t";
        provider.Mappings[".m4s"] = "video/iso.segment";
        provider.Mappings[".m3u8"] = "application/vnd.apple.mpegurl";
        provider.Mappings[".mp4"] = "video/mp4";
        provider.Mappings[".m4a"] = "audio/mp4";
        provider.Mappings[".m4v"] = "video/mp4";
        provider.Mappings[".aac"] = "audio/aac";
        provider.Mappings[".vtt"] = "text/vtt";
        provider.Mappings[".mpd"] = "application/dash+xml";
        return provider;
    }
}
