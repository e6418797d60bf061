using Dandelion.Publisher.Boxes;
using Dandelion.Publisher.Configuration;
using Dandelion.Publisher.Placement;
using Dandelion.Publisher.Telemetry;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Dandelion.Shared.Hosting;

namespace Dandelion.Publisher.Media;

/// <summary>
/// <c>GET /media/{path}</c>: a 302 to the box holding the file that suits the viewer best,
/// the other holders in <c>Link: &lt;url&gt;; rel="alternate"</c>; with <c>?json=1</c> the
/// holders as JSON instead. No holder: the publisher serves the file itself (the origin),
/// so a viewer never gets an error for a file that exists. Anything outside the publish
/// directories is 404. With <c>?origin=1</c> the origin serves the file itself: the player
/// refetches so a segment whose box sent other bytes than the playlist's SHA-256 says.
/// Every box URL given out is signed (<see cref="ViewerUrlKey"/>) until the copy expires on the box
/// plus <see cref="ViewerUrlKey.ClockSlack"/>, so a box serves it only as given and only while it is meant to.
/// </summary>
internal static class MediaEndpoints
{
    public static IEndpointRouteBuilder MapMedia(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/media/{**path}", [HttpMethods.Get, HttpMethods.Head], Serve).RequireCors(ViewerOrigins.PolicyName);
        return endpoints;
    }

    private static Results<RedirectHttpResult, JsonHttpResult<MediaHolders>, PhysicalFileHttpResult, NotFound> Serve(
        string path, string? json, string? origin, HttpContext context, Placer placer, PublishRoots roots, BoxPool pool, ViewerLocator locator, OffloadStats stats,
        ViewerUrlKey urlKey, PublisherIdentity identity)
    {
        context.Response.Headers.CacheControl = "no-store";
        var asJson = json is "1" or "true";
        var filePath = "/" + path;
        var file = placer.Find(filePath);
        var onDisk = roots.TryFromFilePath(path, out var target, out _) ? new FileInfo(target.DiskPath) : null;

        if (file is not null && origin is not ("1" or "true") && SameContent(file, onDisk))
        {
            var holders = placer.ViewableHolders(file);
            if (holders.Count > 0)
            {
                var ordered = HolderChooser.Order(holders, locator.Locate(context.Connection.RemoteIpAddress),
                    id => pool.Known.GetValueOrDefault(id)?.Geo, pool.Redirects)
                    .Select(h => h with { Url = urlKey.SignCopy(h.Url!, identity.Id, filePath, h.ExpiresAt) }).ToList();
                if (asJson)
                    return TypedResults.Json(new MediaHolders(filePath, ordered.Select(h => new MediaHolder(h.BoxId, h.Url!, h.Confirmed)).ToList()));

                var best = ordered[0];
                using var span = PublisherTraces.Source.StartActivity("redirect");
                span?.SetTag("dandelion.file", filePath).SetTag("dandelion.box", best.BoxId).SetTag("dandelion.holders", ordered.Count);
                if (ordered.Count > 1)
                    context.Response.Headers.Link = string.Join(", ", ordered.Skip(1).Select(h => $"<{h.Url}>; rel=\"alternate\""));
                pool.CountRedirect(best.BoxId);
                long size;
                string? stream;
                lock (file.Gate)
                {
                    size = file.Size;
                    stream = file.Stream;
                }
                stats.Redirect(stream, size);
                return TypedResults.Redirect(best.Url!);
            }
        }

        if (onDisk is null || !onDisk.Exists)
            return TypedResults.NotFound();
        if (asJson)
            return TypedResults.Json(new MediaHolders(filePath, []));

        string? fileStream = null;
        if (file is not null)
        {
            lock (file.Gate)
                fileStream = file.Stream;
        }
        // Counted as sent: a range, a HEAD or a viewer who leaves mid-file counts the bytes
        // written, not the file's size.
        stats.Origin(fileStream);
        context.Features.Set<IHttpResponseBodyFeature>(
            new CountingResponseBody(context.Features.Get<IHttpResponseBodyFeature>()!, sent => stats.OriginSent(fileStream, sent)));
        return TypedResults.PhysicalFile(onDisk.FullName, ContentType(onDisk.Name), enableRangeProcessing: true);
    }

    /// <summary>Boxes hold the bytes that were published; if the file on disk changed since, only the origin has the new ones.</summary>
    private static bool SameContent(PublishedFile file, FileInfo? onDisk)
    {
        if (onDisk is null || !onDisk.Exists)
            return true;
        lock (file.Gate)
            return file.Size == onDisk.Length && file.LastWriteUtc == onDisk.LastWriteTimeUtc;
    }

    public static string ContentType(string fileName) => MediaContentTypes.For(fileName);
}
