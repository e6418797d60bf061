namespace Dandelion.Shared.Hosting;

/// <summary>
/// <c>{App}:Tls</c> (<c>Entrance:Tls</c>, <c>Box:Tls</c>, <c>Publisher:Tls</c>): the certificate a
/// node serves HTTPS/WSS with, and the CA certificates it trusts, besides the system's roots, for
/// the peers it connects to. Default: neither, plain HTTP, the system's roots only.
/// </summary>
public sealed class TlsOptions
{
    /// <summary>
    /// PEM file of the node's certificate (its chain may follow). Set: the node serves HTTPS and WSS
    /// only, on its ports, with this certificate. Default none: plain HTTP.
    /// </summary>
    public string? Certificate { get; set; }

    /// <summary>PEM file of the certificate's private key (PKCS#8, RSA or EC). Default: read from <see cref="Certificate"/>'s file.</summary>
    public string? Key { get; set; }

    /// <summary>
    /// PEM file of CA certificates trusted, besides the system's roots, for the peers this node
    /// connects to over <c>wss://</c> (a box's entrances, a publisher's entrances). The peer's
    /// name must still match its certificate. Default none.
    /// </summary>
    public string? CaBundle { get; set; }

    /// <summary>True when <see cref="Certificate"/> is set: the node serves TLS.</summary>
    public bool Serves => !string.IsNullOrWhiteSpace(Certificate);
}
