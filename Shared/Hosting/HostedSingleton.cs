using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dandelion.Shared.Hosting;

public static class HostedSingleton
{
    /// <summary>
    /// Registers <typeparamref name="T"/> once, as the singleton other services are given and as
    /// a hosted service the host starts and stops: the same instance, not two.
    /// </summary>
    public static IServiceCollection AddHostedSingleton<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(
        this IServiceCollection services)
        where T : class, IHostedService
    {
        services.AddSingleton<T>();
        services.AddHostedService(sp => sp.GetRequiredService<T>());
        return services;
    }
}
