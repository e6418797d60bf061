using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dandelion.Publisher.Boxes;
using Dandelion.Publisher.Configuration;
using Dandelion.Publisher.Tests.Peers;
using Dandelion.Shared.Connections;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Dandelion.Publisher.Tests;

/// <summary>
/// The publisher reaching boxes that serve TLS (Kestrel, with certificates made here): the one an
/// original box ships (self-signed, <c>CN=Bruce</c>, expired in 2018), a pinned one, one from a CA.
/// </summary>
public sealed class BoxTlsTests : IAsyncLifetime, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("dandelion-tls-").FullName;
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly X509Certificate2 _bruce = SelfSigned("CN=Bruce", new DateTime(2017, 1, 1), new DateTime(2018, 1, 1));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var owned in _owned)
            await owned.DisposeAsync();
    }

    public void Dispose()
    {
        _bruce.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private async Task<TestBox> BoxAsync(int version, X509Certificate2 certificate)
    {
        var box = await TestBox.StartAsync(version, tls: certificate);
        _owned.Add(box);
        return box;
    }

    private static BoxConnector Connector(Action<BoxTlsOptions> tls)
    {
        var options = new PublisherOptions();
        tls(options.BoxTls);
        var wrapped = Options.Create(options);
        return new BoxConnector(wrapped, new PublisherIdentity("publisher-" + new string('b', 32)),
            new ViewerUrlKey(new byte[32]), new BoxCertificates(wrapped, TimeProvider.System), TimeProvider.System, NullLoggerFactory.Instance);
    }

    [Fact]
    public async Task An_original_boxs_self_signed_certificate_is_refused_as_a_TLS_failure_unless_opted_in_for_version_1()
    {
        var original = await BoxAsync(version: 1, _bruce);

        var refused = await Assert.ThrowsAsync<PeerUnavailableException>(() => Connector(_ => { }).OpenAsync(original.Ranked(0.5), null, default));
        Assert.Contains("TLS failed", refused.Message);
        Assert.Contains("CN=Bruce", refused.Message);
        Assert.Contains("self-signed", refused.Message);
        Assert.Contains("expired 2018-01-01", refused.Message);
        Assert.Contains("Publisher:BoxTls:AcceptSelfSignedVersion1", refused.Message);

        var session = await Connector(t => t.AcceptSelfSignedVersion1 = true).OpenAsync(original.Ranked(0.5), null, default);
        Assert.Equal(1, session.Version);
    }

    [Fact]
    public async Task The_self_signed_opt_in_never_lets_a_version_2_box_through()
    {
        var ours = await BoxAsync(version: 2, _bruce);
        var connector = Connector(t => t.AcceptSelfSignedVersion1 = true);

        // Described as ours (it has a file URL): refused at the handshake.
        var refused = await Assert.ThrowsAsync<PeerUnavailableException>(() => connector.OpenAsync(ours.Ranked(0.5), null, default));
        Assert.Contains("TLS failed", refused.Message);
        // Described without one, as if original: it answers PUBLISH in version 2, and is refused then.
        var unmasked = await Assert.ThrowsAsync<PeerUnavailableException>(() => connector.OpenAsync(ours.Ranked(0.5) with { HttpUrl = null }, null, default));
        Assert.Contains("AcceptSelfSignedVersion1 covers version 1 boxes only", unmasked.Message);
    }

    [Fact]
    public async Task A_pinned_certificate_is_trusted_as_it_is_for_any_box()
    {
        var ours = await BoxAsync(version: 2, _bruce);
        var pin = string.Join(':', Convert.ToHexString(_bruce.GetCertHash(HashAlgorithmName.SHA256)).Chunk(2).Select(c => new string(c)));

        var session = await Connector(t => t.PinnedFingerprints = [pin]).OpenAsync(ours.Ranked(0.5), null, default);
        Assert.Equal(2, session.Version);
        // Another fingerprint does not help.
        await Assert.ThrowsAsync<PeerUnavailableException>(() =>
            Connector(t => t.PinnedFingerprints = [new string('0', 64)]).OpenAsync(ours.Ranked(0.5), null, default));
    }

    [Fact]
    public async Task A_box_whose_certificate_a_CA_in_the_bundle_issued_is_trusted()
    {
        using var ca = SelfSigned("CN=Dandelion Test CA", DateTime.UtcNow.AddDays(-1), DateTime.UtcNow.AddDays(30), authority: true);
        using var leaf = Issued(ca, "CN=box.test");
        var bundle = Path.Combine(_root, "ca.pem");
        await File.WriteAllTextAsync(bundle, ca.ExportCertificatePem());
        var ours = await BoxAsync(version: 2, leaf);

        var refused = await Assert.ThrowsAsync<PeerUnavailableException>(() => Connector(_ => { }).OpenAsync(ours.Ranked(0.5), null, default));
        Assert.Contains("TLS failed", refused.Message);
        var session = await Connector(t => t.CaBundle = bundle).OpenAsync(ours.Ranked(0.5), null, default);
        Assert.Equal(2, session.Version);
    }

    private static X509Certificate2 SelfSigned(string subject, DateTime from, DateTime until, bool authority = false)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        if (authority)
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var made = request.CreateSelfSigned(from, until);
        return Reload(made);
    }

    /// <summary>A server certificate for 127.0.0.1 issued by <paramref name="ca"/>.</summary>
    private static X509Certificate2 Issued(X509Certificate2 ca, string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = request.Create(ca, DateTime.UtcNow.AddHours(-1), DateTime.UtcNow.AddDays(7), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);
        return Reload(withKey);
    }

    // Through PKCS#12, so the key is one SslStream on Linux can use.
    private static X509Certificate2 Reload(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
}
