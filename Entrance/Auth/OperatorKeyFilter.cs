namespace Dandelion.Entrance.Auth;

/// <summary>Every operator endpoint (the API and the dashboard's data) wants <c>Authorization: Bearer {operator key}</c>; 401 without.</summary>
internal sealed class OperatorKeyFilter(OperatorKey key) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (key.Accepts(http.Request.Headers.Authorization.ToString()))
            return next(context);
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return ValueTask.FromResult<object?>(TypedResults.Unauthorized());
    }
}
