namespace Dandelion.Box.Household;

/// <summary>What the owner sets to keep the box kind to the household: the upload ceiling and quiet hours.</summary>
internal static class HouseholdServiceCollectionExtensions
{
    public static IServiceCollection AddHousehold(this IServiceCollection services)
    {
        services.AddSingleton<UploadBucket>();
        services.AddHostedService<QuietHours>();
        return services;
    }
}
