namespace Dandelion.Publisher.Boxes;

/// <summary>Where a box serves a file: <c>{HTTP_URL}/{publisher id}{FILE_PATH}</c>, each segment escaped.</summary>
internal static class BoxUrls
{
    public static string? For(string? httpUrl, string publisherId, string filePath)
    {
        if (string.IsNullOrEmpty(httpUrl))
            return null;
        var escaped = string.Join('/', filePath.Split('/').Select(Uri.EscapeDataString));
        return httpUrl.TrimEnd('/') + "/" + publisherId + escaped;
    }
}
