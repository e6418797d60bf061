using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Dandelion.Shared.Hosting;

/// <summary>Loading and checking what <see cref="TlsOptions"/> names.</summary>
public static class TlsCertificates
{
    /// <summary>The server certificate with its key, or null when the node serves plain HTTP.</summary>
    public static X509Certificate2? LoadServer(TlsOptions options)
    {
        if (!options.Serves)
            return null;
        using var pem = X509Certificate2.CreateFromPemFile(options.Certificate!, string.IsNullOrWhiteSpace(options.Key) ? null : options.Key);
        // Through PKCS#12: a key read from PEM is ephemeral, which SslStream cannot use on every platform.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Serves TLS on <paramref name="listen"/> when <paramref name="certificate"/> is given.</summary>
    public static ListenOptions UseTlsIfGiven(this ListenOptions listen, X509Certificate2? certificate) =>
        certificate is null ? listen : listen.UseHttps(certificate);

    /// <summary>The CA certificates of <see cref="TlsOptions.CaBundle"/> (empty when none is set).</summary>
    public static X509Certificate2Collection LoadBundle(string? path)
    {
        var roots = new X509Certificate2Collection();
        if (!string.IsNullOrWhiteSpace(path))
            roots.ImportFromPemFile(path);
        return roots;
    }

    /// <summary>Failures of <paramref name="options"/>, each naming its key under <paramref name="section"/> (e.g. <c>Box:Tls</c>).</summary>
    public static IEnumerable<string> Check(TlsOptions options, string section)
    {
        if (!options.Serves && !string.IsNullOrWhiteSpace(options.Key))
            yield return $"{section}:Key is set without {section}:Certificate.";
        if (options.Serves && Problem(() => { using var _ = LoadServer(options); }) is { } certificate)
            yield return $"{section}:Certificate '{options.Certificate}' (key '{options.Key ?? options.Certificate}') cannot be used: {certificate}";
        if (!string.IsNullOrWhiteSpace(options.CaBundle)
            && Problem(() => { if (LoadBundle(options.CaBundle).Count == 0) throw new CryptographicException("it holds no PEM certificate."); }) is { } bundle)
            yield return $"{section}:CaBundle '{options.CaBundle}' cannot be used: {bundle}";
    }

    private static string? Problem(Action load)
    {
        try
        {
            load();
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            return ex.Message;
        }
    }
}
