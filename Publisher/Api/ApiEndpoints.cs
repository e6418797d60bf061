using Dandelion.Publisher.Boxes;
using Dandelion.Publisher.Configuration;
using Dandelion.Publisher.Placement;
using Dandelion.Publisher.Telemetry;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dandelion.Publisher.Api;

/// <summary>The operator's API: publish a file, read a file's state, the boxes in use, the offload counters.</summary>
internal static class ApiEndpoints
{
    private const int ListLimit = 1000;

    /// <summary>The longest <c>ttl</c> accepted: a box's largest <c>Box:MaxTtl</c> (365 days); more cannot be kept anywhere.</summary>
    public const long MaxTtlSeconds = FileFrame.LongestTtlSeconds;

    public static IEndpointRouteBuilder MapPublisherApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").AddEndpointFilter<ApiAccessFilter>();
        api.MapPost("/files", PublishAsync);
        api.MapGet("/files", List);
        api.MapGet("/files/{**path}", Get);
        api.MapGet("/boxes", Boxes);
        api.MapGet("/stats", Stats);
        return endpoints;
    }

    private static async Task<Results<Accepted<FileStatus>, ProblemHttpResult>> PublishAsync(
        PublishFileRequest request, IFilePublisher publisher, IOptions<PublisherOptions> options, ViewerUrlKey urlKey, PublisherIdentity identity,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Path))
            return TypedResults.Problem("'path' is required.", statusCode: StatusCodes.Status400BadRequest);
        if (request.Ttl is < 0 or > MaxTtlSeconds)
            return TypedResults.Problem($"'ttl' must be between 0 (each box's default) and {MaxTtlSeconds} seconds.", statusCode: StatusCodes.Status400BadRequest);
        var ttl = request.Ttl is { } seconds ? TimeSpan.FromSeconds(seconds) : options.Value.DefaultTtl;
        try
        {
            var status = Signed(await publisher.PublishAsync(request.Path, ttl, cancellationToken), urlKey, identity);
            return TypedResults.Accepted("/api/files" + status.Path, status);
        }
        catch (PublishRefusedException ex)
        {
            var code = ex.Refusal == PublishRefusal.QueueFull ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status400BadRequest;
            return TypedResults.Problem(ex.Message, statusCode: code);
        }
    }

    private static Ok<List<FileStatus>> List(Placer placer, ViewerUrlKey urlKey, PublisherIdentity identity) =>
        TypedResults.Ok(placer.All().OrderBy(f => f.Path, StringComparer.Ordinal).Take(ListLimit).Select(f => Signed(f, urlKey, identity)).ToList());

    private static Results<Ok<FileStatus>, NotFound> Get(string path, IFilePublisher publisher, ViewerUrlKey urlKey, PublisherIdentity identity) =>
        publisher.GetStatus(path) is { } status ? TypedResults.Ok(Signed(status, urlKey, identity)) : TypedResults.NotFound();

    /// <summary>The holders' URLs signed as a viewer's redirect would be, so the operator can fetch each copy.</summary>
    private static FileStatus Signed(FileStatus status, ViewerUrlKey urlKey, PublisherIdentity identity) => status with
    {
        Holders = status.Holders.Select(h => h.Url is null ? h
            : h with { Url = urlKey.SignCopy(h.Url, identity.Id, status.Path, h.ExpiresAt) }).ToList(),
    };

    private static Ok<List<BoxView>> Boxes(BoxPool pool) =>
        TypedResults.Ok(pool.OpenSessions
            .Select(s => new BoxView(s.Id, s.Version, s.HttpUrl, s.Box.Score, s.PendingBytes, s.PlacedBytes, pool.Redirects(s.Id), s.OpenedAt))
            .OrderByDescending(b => b.Score)
            .ToList());

    private static Ok<IReadOnlyDictionary<string, StreamStats>> Stats(OffloadStats stats) => TypedResults.Ok(stats.Snapshot());
}
