using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dandelion.Publisher.Configuration;
using Dandelion.Shared.Connections;

namespace Dandelion.Publisher.Boxes;

/// <summary>
/// Decides whether a box's TLS certificate is trusted (<see cref="BoxTlsOptions"/>): the system's
/// roots, then a pinned fingerprint, then the configured CA bundle, then, for a version 1 box and
/// only when opted in, any self-signed certificate. Says why when it refuses, so the log names
/// the TLS failure and the key that would fix it.
/// </summary>
internal sealed class BoxCertificates
{
    private readonly BoxTlsOptions _options;
    private readonly HashSet<string> _pins;
    private readonly X509Certificate2Collection _roots = [];

    private readonly TimeProvider _time;

    public BoxCertificates(IOptions<PublisherOptions> options, TimeProvider time)
    {
        _time = time;
        _options = options.Value.BoxTls;
        _pins = _options.PinnedFingerprints.Select(Normalize).ToHashSet(StringComparer.Ordinal);
        if (_options.CaBundle is { Length: > 0 } bundle)
            _roots.ImportFromPemFile(bundle);
    }

    /// <param name="version1Box">The box, as the entrance described it, speaks version 1 (it has no file URL).</param>
    /// <param name="why">When refused: why, in words for the log.</param>
    public CertificateTrust Decide(X509Certificate? presented, SslPolicyErrors errors, bool version1Box, out string? why)
    {
        why = null;
        if (errors == SslPolicyErrors.None)
            return CertificateTrust.System;
        if (presented is null)
        {
            why = "the box presented no certificate";
            return CertificateTrust.Refused;
        }
        using var certificate = new X509Certificate2(presented);
        var fingerprint = Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256));
        if (_pins.Contains(fingerprint))
            return CertificateTrust.Pinned;
        if (_roots.Count > 0 && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0 && PeerTrust.ChainsTo(certificate, _roots))
            return CertificateTrust.Bundle;
        var selfSigned = certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);
        if (selfSigned && version1Box && _options.AcceptSelfSignedVersion1)
            return CertificateTrust.SelfSignedVersion1;

        var expired = certificate.NotAfter.ToUniversalTime() < _time.GetUtcNow().UtcDateTime ? $", expired {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}" : "";
        why = $"certificate '{certificate.Subject}'{(selfSigned ? " (self-signed)" : "")}{expired}, SHA-256 {fingerprint}, is not trusted ({errors}); " +
            "trust it with Publisher:BoxTls:PinnedFingerprints or Publisher:BoxTls:CaBundle" +
            (selfSigned && version1Box ? ", or, for this version 1 box, Publisher:BoxTls:AcceptSelfSignedVersion1" : "");
        return CertificateTrust.Refused;
    }

    /// <summary>Failures of <see cref="BoxTlsOptions"/>, each naming its key under <paramref name="section"/>.</summary>
    public static IEnumerable<string> Check(BoxTlsOptions options, string section)
    {
        if (options.CaBundle is { Length: > 0 } bundle)
        {
            string? problem = null;
            try
            {
                var roots = new X509Certificate2Collection();
                roots.ImportFromPemFile(bundle);
                if (roots.Count == 0)
                    problem = "holds no PEM certificate";
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
            {
                problem = $"cannot be read: {ex.Message}";
            }
            if (problem is not null)
                yield return $"{section}:CaBundle '{bundle}' {problem}.";
        }
        for (var i = 0; i < options.PinnedFingerprints.Count; i++)
        {
            if (Normalize(options.PinnedFingerprints[i]) is not { Length: 64 } hex || !hex.All(char.IsAsciiHexDigitLower))
                yield return $"{section}:PinnedFingerprints:{i} must be a SHA-256 fingerprint (64 hex digits, colons allowed).";
        }
    }

    private static string Normalize(string fingerprint) =>
        fingerprint.Replace(":", "", StringComparison.Ordinal).Trim().ToLower(CultureInfo.InvariantCulture);
}
