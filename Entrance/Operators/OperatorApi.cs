using Dandelion.Entrance.Auth;
using Dandelion.Entrance.Boxes;
using Dandelion.Entrance.Peers;
using Dandelion.Entrance.Redis;
using Dandelion.Entrance.Search;
using Dandelion.Shared.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dandelion.Entrance.Operators;

/// <summary>The operator API under <c>/api</c> (docs/ENTRANCE.md).</summary>
internal static partial class OperatorApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapOperatorApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").AddEndpointFilter<OperatorKeyFilter>();
        api.MapGet("/boxes", ListAsync);
        api.MapGet("/boxes/gone", GoneAsync);
        api.MapGet("/boxes/{id}", GetAsync);
        api.MapPost("/boxes/{id}/drain", (string id, BoxRegistry registry, BoxCommandRelay relay, ILoggerFactory logs) => CommandAsync(id, Commands.Drain, null, registry, relay, logs));
        api.MapPost("/boxes/{id}/resume", (string id, BoxRegistry registry, BoxCommandRelay relay, ILoggerFactory logs) => CommandAsync(id, Commands.Resume, null, registry, relay, logs));
        api.MapPost("/boxes/{id}/purge", (string id, string? publisher, BoxRegistry registry, BoxCommandRelay relay, ILoggerFactory logs) => CommandAsync(id, Commands.Purge, publisher, registry, relay, logs));
        api.MapGet("/stats", StatsAsync);
        return endpoints;
    }

    private static async Task<Results<Ok<List<BoxSummary>>, BadRequest<string>, ProblemHttpResult>> ListAsync(
        string? country, string? state, int? limit, BoxQueries queries, TimeProvider time)
    {
        if (limit is < 1 or > MaxLimit)
            return TypedResults.BadRequest($"limit must be between 1 and {MaxLimit}.");
        return await Guard<Results<Ok<List<BoxSummary>>, BadRequest<string>, ProblemHttpResult>>(
            async () => TypedResults.Ok(await queries.ListAsync(country, state, limit ?? DefaultLimit, time.GetUtcNow())), p => p);
    }

    private static async Task<Results<Ok<BoxDetail>, NotFound, ProblemHttpResult>> GetAsync(string id, BoxQueries queries, TimeProvider time)
    {
        if (!NodeIdentity.IsValid(id, NodeRole.Box))
            return TypedResults.NotFound();
        return await Guard<Results<Ok<BoxDetail>, NotFound, ProblemHttpResult>>(async () =>
            await queries.GetAsync(id, time.GetUtcNow()) is { } detail ? TypedResults.Ok(detail) : TypedResults.NotFound(), p => p);
    }

    private static async Task<Results<Ok<List<GoneEntry>>, ProblemHttpResult>> GoneAsync(int? limit, BoxQueries queries) =>
        await Guard<Results<Ok<List<GoneEntry>>, ProblemHttpResult>>(
            async () => TypedResults.Ok(await queries.GoneAsync(Math.Clamp(limit ?? DefaultLimit, 1, MaxLimit))), p => p);

    private static async Task<Results<Ok<EntranceStats>, ProblemHttpResult>> StatsAsync(BoxQueries queries, SessionDirectory sessions, BoxIndex index,
        TimeProvider time) =>
        await Guard<Results<Ok<EntranceStats>, ProblemHttpResult>>(
            async () => TypedResults.Ok(await queries.StatsAsync(time.GetUtcNow(), sessions.Count, index.Count)), p => p);

    private static async Task<Results<Accepted<CommandAccepted>, NotFound, ProblemHttpResult>> CommandAsync(
        string id, string command, string? publisher, BoxRegistry registry, BoxCommandRelay relay, ILoggerFactory logs)
    {
        if (!NodeIdentity.IsValid(id, NodeRole.Box))
            return TypedResults.NotFound();
        return await Guard<Results<Accepted<CommandAccepted>, NotFound, ProblemHttpResult>>(async () =>
        {
            // Recorded first, so SEARCH stops offering a draining box before the box hears of it.
            if (command is Commands.Drain or Commands.Resume)
                await registry.SetDrainingAsync(id, command == Commands.Drain);
            var entrances = await relay.PublishAsync(new RelayedCommand(id, command, publisher));
            Log.Commanded(logs.CreateLogger(typeof(OperatorApi)), command, id, entrances);
            return TypedResults.Accepted((string?)null, new CommandAccepted(id, command, entrances));
        }, p => p);
    }

    private static async Task<T> Guard<T>(Func<Task<T>> action, Func<ProblemHttpResult, T> unavailable)
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (RedisResilience.IsOutage(ex))
        {
            return unavailable(TypedResults.Problem("Redis is unavailable.", statusCode: StatusCodes.Status503ServiceUnavailable));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Operator sent {Command} to box {BoxId} ({Entrances} entrances hold a session for it).")]
        public static partial void Commanded(ILogger logger, string command, string boxId, long entrances);
    }
}
