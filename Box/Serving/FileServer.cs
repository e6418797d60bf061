using System.Globalization;
using System.Text;
using Dandelion.Box.Files;
using Dandelion.Box.Household;
using Dandelion.Box.Signing;
using Dandelion.Box.Traffic;
using Dandelion.Shared.Auth;
using Dandelion.Shared.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Dandelion.Box.Serving;

/// <summary>
/// <c>GET/HEAD/OPTIONS /{publisher_id}/{path}</c> on the file port. Ranges, ETag and
/// Last-Modified are ASP.NET's own file result; this adds the expiry check (an expired
/// file is 404 before the sweep deletes it), a Cache-Control that fits the remaining
/// TTL, the household's upload ceiling, and one access-log line per request. A file of a
/// publisher whose viewer URL key the box holds (<see cref="ViewerKeys"/>) is served only for a
/// URL that publisher signed and that has not expired: anything else is 403, before the disk is
/// looked at, so a refused request learns nothing of what the box holds.
/// </summary>
internal sealed class FileServer(FileStore store, ViewerKeys keys, AccessLogWriter accessLog, UploadBucket upload, BandwidthMeter meter, TimeProvider time)
{
    public async Task HandleAsync(HttpContext context)
    {
        var response = context.Response;
        if (context.Request.Path.Value is null or "/")
        {
            // No file: what publishers check several times a second to know the box answers
            // (docs/PUBLISHER.md). Not logged, so the access log and the traffic stay viewers'.
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        // Counted next to Kestrel, so behind the upload ceiling's throttle: bytes as they leave.
        var counted = CountingBody.For(context.Features.GetRequiredFeature<IHttpResponseBodyFeature>(), meter);
        context.Features.Set<IHttpResponseBodyFeature>(counted);
        context.Response.OnCompleted(() => LogAsync(context));

        var method = context.Request.Method;
        if (HttpMethods.IsOptions(method))
        {
            // A CORS preflight was answered before this (ServingExtensions); this is a plain OPTIONS.
            response.Headers.Allow = "GET, HEAD, OPTIONS";
            response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
        {
            response.Headers.Allow = "GET, HEAD, OPTIONS";
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        var path = context.Request.Path.Value ?? "";
        var slash = path.IndexOf('/', 1);
        if (slash > 0 && keys.For(path[1..slash]) is { } key
            && !ViewerUrl.Verify(key, path[1..slash], path[slash..], context.Request.Query["e"], context.Request.Query["s"], time.GetUtcNow()))
        {
            response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        if (slash < 0 || !StoragePath.TryResolve(store.Root, path[1..slash], path[(slash + 1)..], out var target, out _)
            || StoragePath.LeavesThroughLink(store.Root, target!)
            || !store.TryGetServable(target!, out var entry))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        response.Headers.CacheControl = CacheControl(target!.FullPath, entry);
        if (upload.Enabled)
        {
            // Both the whole-file path and the file result write through the body feature:
            // through the shared bucket, then.
            context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(new ThrottledStream(counted.Stream, upload), counted));
        }
        try
        {
            if (IsWholeGet(context.Request))
            {
                await SendWholeAsync(context, target.FullPath);
                return;
            }
            var info = new FileInfo(target.FullPath);
            await TypedResults.PhysicalFile(info.FullName, MediaContentTypes.For(info.Name), fileDownloadName: null,
                new DateTimeOffset(info.LastWriteTimeUtc), ETag(info.LastWriteTimeUtc, info.Length), enableRangeProcessing: true).ExecuteAsync(context);
        }
        catch (Exception ex) when ((ex is FileNotFoundException or DirectoryNotFoundException) && !response.HasStarted)
        {
            // Expired and swept between the check and the open.
            response.Headers.CacheControl = default;
            response.StatusCode = StatusCodes.Status404NotFound;
        }
    }

    /// <summary>
    /// A plain GET of the whole file, what players send for a segment: no range, no condition.
    /// Anything else (ranges, If-None-Match, HEAD) goes through ASP.NET's file result.
    /// </summary>
    private static bool IsWholeGet(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method))
            return false;
        var headers = request.Headers;
        return headers.Range.Count == 0 && headers.IfMatch.Count == 0 && headers.IfNoneMatch.Count == 0
            && headers.IfModifiedSince.Count == 0 && headers.IfUnmodifiedSince.Count == 0 && headers.IfRange.Count == 0;
    }

    /// <summary>200 with the headers ASP.NET's file result sends, the body by <see cref="FileBody"/>.</summary>
    private static async Task SendWholeAsync(HttpContext context, string path)
    {
        // Length and time from the open file itself: a file replaced meanwhile is served whole, old or new.
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = RandomAccess.GetLength(file);
        var written = File.GetLastWriteTimeUtc(file);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = MediaContentTypes.For(Path.GetFileName(path));
        response.ContentLength = length;
        response.Headers.AcceptRanges = "bytes";
        response.Headers.LastModified = HeaderUtilities.FormatDate(new DateTimeOffset(written));
        response.Headers.ETag = ETag(written, length).ToString();
        await FileBody.SendAsync(response, file, length, context.RequestAborted);
    }

    private static EntityTagHeaderValue ETag(DateTime lastWriteUtc, long length) => new($"\"{lastWriteUtc.Ticks:x}-{length:x}\"");

    private string CacheControl(string path, ExpiryEntry entry)
    {
        if (path.EndsWith(".m3u8", StringComparison.OrdinalIgnoreCase))
            return "no-cache";
        var remaining = Math.Max(0, (entry.ExpiresAtMs - time.GetUtcNow().ToUnixTimeMilliseconds()) / 1000);
        return $"public, max-age={remaining}";
    }

    private Task LogAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var sent = HttpMethods.IsHead(request.Method) || response.StatusCode is 204 or 304 ? 0 : response.ContentLength ?? 0;
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value;
        var line = new StringBuilder(256)
            .Append(context.Connection.RemoteIpAddress?.ToString() ?? "-")
            .Append(" - - [")
            .Append(time.GetUtcNow().ToString("dd/MMM/yyyy:HH:mm:ss +0000", CultureInfo.InvariantCulture))
            .Append("] \"")
            .Append(Escape($"{request.Method} {target} {request.Protocol}"))
            .Append("\" ")
            .Append(response.StatusCode.ToString(CultureInfo.InvariantCulture))
            .Append(' ')
            .Append(sent.ToString(CultureInfo.InvariantCulture))
            .Append(" \"")
            .Append(Escape(request.Headers.Referer.ToString(), dashWhenEmpty: true))
            .Append("\" \"")
            .Append(Escape(request.Headers.UserAgent.ToString(), dashWhenEmpty: true))
            .Append('"')
            .ToString();
        return accessLog.WriteAsync(line, CancellationToken.None).AsTask();
    }

    /// <summary>As nginx escapes variables in its log: quotes, backslashes, control and non-ASCII bytes as <c>\xHH</c>.</summary>
    private static string Escape(string value, bool dashWhenEmpty = false)
    {
        if (value.Length == 0)
            return dashWhenEmpty ? "-" : "";
        var text = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is < 0x20 or >= 0x7f or (byte)'"' or (byte)'\\')
                text.Append(CultureInfo.InvariantCulture, $"\\x{b:X2}");
            else
                text.Append((char)b);
        }
        return text.ToString();
    }
}
