namespace Dandelion.Publisher.Boxes;

/// <summary>Where a box serves a file: <c>{HTTP_URL}/{publisher id}{FILE_PATH}</c>, each segment escaped.</summary>
internal static class BoxUrls
{
    public static string? For(string? httpUrl, string publisherId, string filePath)
    {
        if (string.IsNullOrEmpty(httpUrl))
            return null;
        return httpUrl.TrimEnd('/') + "/" + publisherId + Escape(filePath);
    }

    /// <summary>A <c>FILE_PATH</c> as a URL path: each segment escaped, the slashes kept.</summary>
    public static string Escape(string filePath) => string.Join('/', filePath.Split('/').Select(Uri.EscapeDataString));
}
