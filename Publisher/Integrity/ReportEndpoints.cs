using Dandelion.Publisher.Boxes;
using Dandelion.Publisher.Placement;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dandelion.Publisher.Integrity;

/// <summary>
/// <c>POST /integrity/report</c>: a viewer says a box sent a segment whose SHA-256 is not the
/// playlist's. Untrusted input: the publisher acts only on its own fetch of that copy from that
/// box (<see cref="CopyChecker"/>), so a viewer who lies about a good box changes nothing. Bounded:
/// a body of at most <see cref="MaxBodyBytes"/>, only a URL the publisher itself gave out for
/// that file, one check per copy a minute (<see cref="ReportGate"/> remembers the verdict), and at
/// most a few checks a second and at once for all viewers together (429 past that).
/// <c>GET /api/distrusted</c> lists the boxes caught.
/// </summary>
internal static partial class ReportEndpoints
{
    public const int MaxBodyBytes = 4096;
    private const int MaxPathLength = 1024;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapIntegrity(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/integrity/report", ReportAsync);
        // The operator's view, guarded as the rest of /api.
        endpoints.MapGet("/api/distrusted", (DistrustedBoxes distrusted) => TypedResults.Ok(distrusted.All))
            .AddEndpointFilter<Api.ApiAccessFilter>();
        return endpoints;
    }

    private static async Task<Results<Ok<ReportAnswer>, ProblemHttpResult>> ReportAsync(HttpContext context, Placer placer,
        DistrustedBoxes distrusted, ReportGate gate, CopyChecker checker, Configuration.ViewerUrlKey urlKey, Configuration.PublisherIdentity identity,
        ILogger<ReportGate> logger, CancellationToken cancellationToken)
    {
        var body = await ReadBoundedAsync(context.Request.Body, cancellationToken);
        if (body is null)
            return TypedResults.Problem($"A report is at most {MaxBodyBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
        BoxReport? report;
        try
        {
            report = JsonSerializer.Deserialize<BoxReport>(body, Json);
        }
        catch (JsonException)
        {
            report = null;
        }
        if (report is not { Path: { Length: > 1 and <= MaxPathLength } path, Url: { Length: > 0 } url } || !path.StartsWith('/'))
            return TypedResults.Problem("A report is JSON with 'path' (the file under /media/) and 'url' (the box URL it came from).", statusCode: StatusCodes.Status400BadRequest);

        // Only a copy the publisher placed and sends viewers to can be reported, by the exact URL it gave out.
        if (placer.Find(path) is not { } file)
            return TypedResults.Problem("No such published file.", statusCode: StatusCodes.Status404NotFound);
        // The URL the viewer fetched is signed; the publisher keeps and compares it unsigned.
        var unsigned = Dandelion.Shared.Auth.ViewerUrl.Unsigned(url);
        Holder? holder;
        long size;
        string sha256;
        lock (file.Gate)
        {
            holder = file.Holders.Values.FirstOrDefault(h => h.Url == unsigned);
            size = file.Size;
            sha256 = file.Sha256;
        }
        var box = holder?.BoxId;
        // Not (or no longer: a distrusted box's copies are forgotten) a copy viewers are sent to.
        if (box is null)
            return TypedResults.Problem("That URL is not a copy of the file the publisher sends viewers to.", statusCode: StatusCodes.Status404NotFound);
        if (distrusted.Contains(box))
            return TypedResults.Ok(new ReportAnswer(box, ReportVerdict.Confirmed));
        if (gate.Remembered(box, path) is { } earlier)
            return TypedResults.Ok(new ReportAnswer(box, earlier));

        if (!gate.TryEnter())
            return TypedResults.Problem("Too many reports are being checked; try again later.", statusCode: StatusCodes.Status429TooManyRequests);
        ReportVerdict verdict;
        try
        {
            // Fetched by a URL the publisher signs itself, never by the one the viewer sent.
            verdict = await checker.CheckAsync(urlKey.SignCopy(unsigned, identity.Id, path, holder!.ExpiresAt),
                size, sha256, cancellationToken);
        }
        finally
        {
            gate.Leave();
        }
        gate.Remember(box, path, verdict);
        if (verdict == ReportVerdict.Confirmed)
        {
            Log.Confirmed(logger, box, path);
            distrusted.Add(box, path);
        }
        else
        {
            Log.NotConfirmed(logger, box, path, verdict);
        }
        return TypedResults.Ok(new ReportAnswer(box, verdict));
    }

    /// <summary>The body, or null when it is longer than <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<byte[]?> ReadBoundedAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxBodyBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            length += read;
        return length > MaxBodyBytes ? null : buffer[..length];
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Box {Box} served other bytes than were placed for {Path}: it is distrusted (no more files, no more viewers)")]
        public static partial void Confirmed(ILogger logger, string box, string path);

        [LoggerMessage(Level = LogLevel.Information, Message = "A viewer reported box {Box} for {Path}; the publisher's own fetch found it {Verdict}")]
        public static partial void NotConfirmed(ILogger logger, string box, string path, ReportVerdict verdict);
    }
}
