using Dandelion.Entrance.Redis;
using Dandelion.Shared.Auth;
using Dandelion.Shared.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dandelion.Entrance.Auth;

/// <summary>
/// <c>POST /api/credentials</c> issues a node credential, <c>DELETE /api/credentials/{id}</c> revokes
/// one (docs/ENTRANCE.md, Credentials); both want the operator key.
/// </summary>
internal static partial class CredentialApi
{
    public static IEndpointRouteBuilder MapCredentialApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/credentials").AddEndpointFilter<OperatorKeyFilter>();
        api.MapPost("/", IssueAsync);
        api.MapDelete("/{id}", RevokeAsync);
        return endpoints;
    }

    /// <summary>A credential for <c>id</c>, or for a new id of <c>role</c> (<c>box</c> or <c>publisher</c>).</summary>
    private static async Task<Results<Ok<NodeCredential>, BadRequest<string>, Conflict<string>, ProblemHttpResult>> IssueAsync(
        CredentialRequest request, NodeSecret secret, CredentialStore store, ILoggerFactory logs)
    {
        if (secret.Value is not { } key)
            return TypedResults.BadRequest("authentication is off (Entrance:Auth:Enabled is false): no credential is needed.");
        if (CredentialCommand.IdFor(request.Id, request.Role) is not { } id)
            return TypedResults.BadRequest("give id (a box or publisher id) or role (box or publisher).");
        try
        {
            if (!await store.IssueAsync(id))
                return TypedResults.Conflict("this id was revoked; enrol the node under a new id.");
        }
        catch (Exception ex) when (RedisResilience.IsOutage(ex))
        {
            return TypedResults.Problem("Redis is unavailable.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        Log.Issued(logs.CreateLogger(typeof(CredentialApi)), id);
        return TypedResults.Ok(new NodeCredential(id, NodeToken.Compute(key, id)));
    }

    private static async Task<Results<Ok<string>, NotFound, BadRequest<string>, ProblemHttpResult>> RevokeAsync(
        string id, NodeSecret secret, CredentialStore store, ILoggerFactory logs)
    {
        if (!NodeIdentity.IsValid(id, NodeRole.Box) && !NodeIdentity.IsValid(id, NodeRole.Publisher))
            return TypedResults.NotFound();
        if (!secret.Enabled)
            return TypedResults.BadRequest("authentication is off (Entrance:Auth:Enabled is false): there is nothing to revoke.");
        try
        {
            var fresh = await store.RevokeAsync(id);
            Log.Revoked(logs.CreateLogger(typeof(CredentialApi)), id);
            return TypedResults.Ok(fresh ? "revoked" : "already revoked");
        }
        catch (Exception ex) when (RedisResilience.IsOutage(ex))
        {
            return TypedResults.Problem("Redis is unavailable.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Operator issued a credential for {Id}.")]
        public static partial void Issued(ILogger logger, string id);

        [LoggerMessage(2, LogLevel.Information, "Operator revoked the credential of {Id}.")]
        public static partial void Revoked(ILogger logger, string id);
    }
}
