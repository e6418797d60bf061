using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Dandelion.Shared.Hosting;

namespace Dandelion.Shared.Connections;

/// <summary>
/// Which TLS certificates of peers reached over <c>wss://</c> are trusted: the system's roots, and
/// besides them the CA certificates of <see cref="TlsOptions.CaBundle"/>. The name must match
/// either way; nothing is ever accepted as it is.
/// </summary>
public sealed class PeerTrust
{
    private readonly X509Certificate2Collection _roots;

    public PeerTrust(string? caBundle) => _roots = TlsCertificates.LoadBundle(caBundle);

    /// <summary>The system's roots only.</summary>
    public static PeerTrust System { get; } = new(null);

    /// <summary>For <see cref="System.Net.WebSockets.ClientWebSocketOptions.RemoteCertificateValidationCallback"/>.</summary>
    public bool Validate(object sender, X509Certificate? presented, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
            return true;
        if (presented is null || _roots.Count == 0 || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            return false;
        using var certificate = new X509Certificate2(presented);
        return ChainsTo(certificate, _roots);
    }

    /// <summary>Whether <paramref name="certificate"/> chains to one of <paramref name="roots"/> (no revocation check).</summary>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2Collection roots)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    /// <summary>Applies this trust to a WebSocket about to connect (only when there is a bundle: else the system decides alone).</summary>
    public void Apply(System.Net.WebSockets.ClientWebSocketOptions options)
    {
        if (_roots.Count > 0)
            options.RemoteCertificateValidationCallback = Validate;
    }
}
