using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Dandelion.Shared.Hosting;

/// <summary>
/// Which web pages may play what a node serves to viewers (CORS, by ASP.NET Core's CORS
/// middleware): <c>*</c> (the default) for any page, or a list of origins
/// (<c>https://caster.example</c>). <c>null</c> may be listed too: a browser that follows a
/// publisher's redirect from one origin to a box on another sends <c>Origin: null</c>
/// (the Fetch standard's tainted origin), so a box that lists origins needs it.
/// A page from an origin not listed gets no CORS header, and its browser refuses the answer.
/// </summary>
public static class ViewerOrigins
{
    public const string Any = "*";
    public const string PolicyName = "viewers";

    /// <summary>Request headers players send for media: ranges and revalidation.</summary>
    private static readonly string[] AllowedHeaders = ["Range", "If-None-Match", "If-Modified-Since", "If-Range"];

    /// <summary>Response headers a page's script may read: what ranged and cached fetches need.</summary>
    private static readonly string[] ExposedHeaders = ["Content-Length", "Content-Range", "ETag", "Last-Modified", "Accept-Ranges", "Link"];

    /// <summary>A browser may reuse a preflight answer this long (browsers cap it lower: Chromium at 2 hours).</summary>
    private static readonly TimeSpan PreflightMaxAge = TimeSpan.FromDays(1);

    /// <summary>GET and HEAD from the allowed origins (none listed: any), without credentials.</summary>
    public static CorsPolicy Policy(IReadOnlyList<string> origins)
    {
        // An empty list means any: a list default of "*" would be appended to by configuration binding.
        var policy = new CorsPolicyBuilder()
            .WithMethods("GET", "HEAD")
            .WithHeaders(AllowedHeaders)
            .WithExposedHeaders(ExposedHeaders)
            .SetPreflightMaxAge(PreflightMaxAge);
        if (origins.Count == 0 || origins.Contains(Any, StringComparer.Ordinal))
            policy.AllowAnyOrigin();
        else
            policy.WithOrigins(origins.Select(o => o.TrimEnd('/')).ToArray());
        return policy.Build();
    }

    /// <summary>
    /// Registers CORS with the <see cref="PolicyName"/> policy for the origins the node's options
    /// list (<c>{App}:AllowedOrigins</c>), read when the policy is first asked for.
    /// </summary>
    public static IServiceCollection AddViewerCors<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(
        this IServiceCollection services, Func<TOptions, IReadOnlyList<string>> origins)
        where TOptions : class
    {
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<TOptions>>((cors, node) => cors.AddPolicy(PolicyName, Policy(origins(node.Value))));
        return services;
    }

    /// <summary>What is wrong with a configured list, each naming <paramref name="key"/>; empty when nothing is.</summary>
    public static IEnumerable<string> Problems(IReadOnlyList<string>? origins, string key)
    {
        if (origins is null)
            yield break;
        if (origins.Count > 1 && origins.Contains(Any, StringComparer.Ordinal))
            yield return $"{key} lists '*', which already allows any origin: list it alone.";
        for (var i = 0; i < origins.Count; i++)
        {
            if (!IsOrigin(origins[i]))
                yield return $"{key}:{i} must be '*', 'null' or an origin such as https://example.com (scheme, host, optional port, no path), not '{origins[i]}'.";
        }
    }

    private static bool IsOrigin(string? value)
    {
        if (value is Any or "null")
            return true;
        if (string.IsNullOrWhiteSpace(value) || !Uri.TryCreate(value, UriKind.Absolute, out var uri))
            return false;
        return uri.Scheme is "http" or "https" && uri.AbsolutePath == "/" && !value.TrimEnd('/').EndsWith('/')
            && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0;
    }
}
