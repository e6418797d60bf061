using Dandelion.Entrance.Configuration;
using Dandelion.Entrance.Operators;
using Dandelion.Entrance.Redis;
using Dandelion.Entrance.Search;
using Dandelion.Entrance.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace Dandelion.Entrance.Dashboard;

/// <summary>
/// The operator dashboard: <c>GET /</c> is <c>wwwroot/index.html</c>, which polls
/// <c>GET /api/network</c> (live boxes with their last EXCHANGE's figures, totals, recently gone).
/// </summary>
internal static class DashboardEndpoints
{
    /// <summary>
    /// Boxes given in full per answer. Each costs one batched Redis read, so a network larger than this
    /// shows its totals whole and the first boxes by expiry; the operator API pages through the rest.
    /// </summary>
    public const int MaxBoxes = 200;
    public const int GoneShown = 20;

    public static WebApplication UseDashboard(this WebApplication app)
    {
        // The pages are copied beside the assembly (Dandelion.Entrance.csproj), so they are found
        // whatever the working directory the entrance is started from.
        var pages = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "dashboard"));
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = pages });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = pages });
        return app;
    }

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/network", OverviewAsync);
        return endpoints;
    }

    private static async Task<Results<Ok<NetworkOverview>, ProblemHttpResult>> OverviewAsync(
        BoxQueries queries, SessionDirectory sessions, BoxIndex index, IOptions<EntranceOptions> options, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var expiry = options.Value.EffectiveExpiry;
        try
        {
            var stats = queries.StatsAsync(now, sessions.Count, index.Count);
            var gone = queries.GoneAsync(GoneShown);
            var listed = await queries.ListAsync(null, null, MaxBoxes, now);
            var details = await Task.WhenAll(listed.Select(b => queries.GetAsync(b.Id, now)));
            var boxes = details.OfType<BoxDetail>().Select(d => ToBox(d, expiry)).OrderBy(b => b.Id, StringComparer.Ordinal).ToList();
            return TypedResults.Ok(new NetworkOverview(now, options.Value.Heartbeat.TotalSeconds, expiry.TotalSeconds,
                await stats, boxes.Count, boxes, await gone));
        }
        catch (Exception ex) when (RedisResilience.IsOutage(ex))
        {
            return TypedResults.Problem("Redis is unavailable.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static NetworkBox ToBox(BoxDetail detail, TimeSpan expiry)
    {
        var box = detail.Box;
        var stored = detail.LastExchange;
        return new NetworkBox(box.Id, box.State, box.Country, box.City, box.GeoKnown, box.HttpUrl,
            // The expiry is pushed Expiry past each EXCHANGE, so the last one was that long before it.
            box.ExpiresAt - expiry, box.ExpiresAt,
            stored.StorageUsed, stored.StorageQuota, stored.Files, stored.BandwidthUsed, stored.BandwidthCeiling,
            detail.RequestsServed, detail.BytesServed, detail.OpenSessions);
    }
}
