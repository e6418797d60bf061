using Dandelion.Entrance.Auth;
using Dandelion.Entrance.History;
using Dandelion.Entrance.Redis;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dandelion.Entrance.Dashboard;

/// <summary>
/// The operator dashboard: <c>GET /</c> is <c>wwwroot/index.html</c>, which polls
/// <c>GET /api/network</c> (live boxes, why each gets its traffic, recently gone, publishers,
/// totals) and <c>GET /api/history</c> (the last hour's charts).
/// </summary>
internal static class DashboardEndpoints
{
    /// <summary>The pages, copied beside the assembly by Dandelion.Entrance.csproj.</summary>
    public static WebApplication UseDashboard(this WebApplication app) => app.UseBundledPages("dashboard");

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder endpoints)
    {
        // The page itself is public (it holds no data); what it reads wants the operator key.
        var data = endpoints.MapGroup("/api").AddEndpointFilter<OperatorKeyFilter>();
        data.MapGet("/network", (NetworkReader reader) => Guard(reader.ReadAsync));
        data.MapGet("/history", (HistoryQueries history, TimeProvider time) => Guard(() => history.LastHourAsync(time.GetUtcNow())));
        return endpoints;
    }

    private static async Task<Results<Ok<T>, ProblemHttpResult>> Guard<T>(Func<Task<T>> read)
    {
        try
        {
            return TypedResults.Ok(await read());
        }
        catch (Exception ex) when (RedisResilience.IsOutage(ex))
        {
            return TypedResults.Problem("Redis is unavailable.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
