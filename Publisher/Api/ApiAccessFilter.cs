using System.Security.Cryptography;
using Dandelion.Publisher.Configuration;

namespace Dandelion.Publisher.Api;

/// <summary>
/// Guards <c>/api</c>: without <c>Publisher:ApiKey</c> only loopback callers get in (as if
/// the API listened on loopback alone; viewers' routes share the port); with a key, any
/// caller that sends it in <c>X-Api-Key</c>.
/// </summary>
internal sealed class ApiAccessFilter(IOptions<PublisherOptions> options) : IEndpointFilter
{
    public const string Header = "X-Api-Key";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (options.Value.ApiKey is { Length: > 0 } key)
        {
            var given = http.Request.Headers[Header].ToString();
            if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(key)))
                return ValueTask.FromResult<object?>(TypedResults.Unauthorized());
        }
        // Kestrel's dual-stack socket reports an IPv4 caller as ::ffff:a.b.c.d, which IsLoopback does not see as loopback.
        else if (http.Connection.RemoteIpAddress is not { } remote
            || !IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote))
        {
            return ValueTask.FromResult<object?>(TypedResults.NotFound());
        }
        return next(context);
    }
}
