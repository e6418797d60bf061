using Dandelion.Shared.Auth;
using Dandelion.Shared.Identity;

namespace Dandelion.Publisher.Configuration;

internal static class PublisherSetup
{
    /// <summary>Options (validated at start), the identity, and Kestrel on <c>Publisher:Port</c>.</summary>
    public static WebApplicationBuilder AddPublisherCore(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PublisherOptions>()
            .Bind(builder.Configuration.GetSection(PublisherOptions.Section))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<PublisherOptions>, PublisherOptionsValidator>();
        // Enrolled (Dandelion.Publisher enrol): the credential kept in the data directory.
        builder.Services.PostConfigure<PublisherOptions>(options =>
        {
            if (string.IsNullOrWhiteSpace(options.Token) && !string.IsNullOrWhiteSpace(options.DataDirectory))
                options.Token = CredentialFiles.ReadToken(options.DataDirectory, NodeRole.Publisher);
        });
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PublisherOptions>>().Value;
            return new PublisherIdentity(NodeIdentity.LoadOrCreate(options.DataDirectory, NodeRole.Publisher));
        });
        builder.Services.AddSingleton(sp => ViewerUrlKey.LoadOrCreate(sp.GetRequiredService<IOptions<PublisherOptions>>().Value.DataDirectory));

        // Viewers come from anywhere, so Kestrel listens on every address; /api guards itself
        // (Api/ApiAccessFilter) so that without an API key it answers loopback only.
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var section = context.Configuration.GetSection(PublisherOptions.Section);
            var port = section.GetValue(nameof(PublisherOptions.Port), new PublisherOptions().Port);
            // Publisher:Tls: the port serves TLS only. A bad file is the options validator's to refuse, naming the key.
            var tls = section.GetSection(nameof(PublisherOptions.Tls)).Get<TlsOptions>() ?? new TlsOptions();
            var certificate = TlsCertificates.Check(tls, "").Any() ? null : TlsCertificates.LoadServer(tls);
            kestrel.ListenAnyIP(port, listen => listen.UseTlsIfGiven(certificate));
        });
        return builder;
    }
}
