namespace Dandelion.Publisher.Api;

internal static class ApiSetup
{
    public static WebApplicationBuilder AddPublisherApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ApiAccessFilter>();
        return builder;
    }
}
