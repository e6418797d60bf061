using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Dandelion.Testing;

/// <summary>
/// A certificate authority made for one test, and a server certificate it issued for 127.0.0.1,
/// written as PEM files as an operator would give them (<c>{App}:Tls:Certificate</c>, <c>Key</c>,
/// <c>CaBundle</c>). Clients that should trust it use <see cref="Trusting"/>; every other client
/// (the system's roots) refuses it.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly X509Certificate2 _ca;

    private TestCertificates(string directory)
    {
        Directory = directory;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Dandelion Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        _ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = request.Create(_ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7), RandomNumberGenerator.GetBytes(8));
        File.WriteAllText(CertificatePath, issued.ExportCertificatePem());
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(CaPath, _ca.ExportCertificatePem());
    }

    public string Directory { get; }
    /// <summary>The server certificate (PEM), issued for 127.0.0.1 and localhost.</summary>
    public string CertificatePath => Path.Combine(Directory, "server.pem");
    /// <summary>Its private key (PKCS#8 PEM).</summary>
    public string KeyPath => Path.Combine(Directory, "server.key");
    /// <summary>The CA's certificate (PEM): what <c>CaBundle</c> names.</summary>
    public string CaPath => Path.Combine(Directory, "ca.pem");

    /// <summary>Made in <paramref name="directory"/>.</summary>
    public static TestCertificates Create(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        return new TestCertificates(directory);
    }

    /// <summary>Trusts what this CA issued (name checked as usual), nothing else beyond the system's roots.</summary>
    public bool Validate(object sender, X509Certificate? presented, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
            return true;
        if (presented is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            return false;
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(_ca);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var certificate = new X509Certificate2(presented);
        return custom.Build(certificate);
    }

    /// <summary>An HTTP handler trusting this CA; redirects not followed, so a test sees each 302.</summary>
    public HttpClientHandler Trusting() => new()
    {
        AllowAutoRedirect = false,
        ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) => Validate(message, certificate, chain, errors),
    };

    public void Dispose() => _ca.Dispose();
}
