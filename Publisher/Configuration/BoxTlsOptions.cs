namespace Dandelion.Publisher.Configuration;

/// <summary>
/// <c>Publisher:BoxTls</c>: which certificates of boxes reached over <c>https://</c> or
/// <c>wss://</c> are trusted beyond the system's roots. Default: the system's roots only.
/// </summary>
internal sealed class BoxTlsOptions
{
    /// <summary>A PEM file of CA certificates whose boxes are trusted (the name must match). Default none.</summary>
    public string? CaBundle { get; set; }

    /// <summary>
    /// SHA-256 fingerprints (hex, colons allowed) of box certificates trusted as they are, whatever
    /// their issuer, name or dates: for a box whose certificate the operator has checked. Default none.
    /// </summary>
    public List<string> PinnedFingerprints { get; set; } = [];

    /// <summary>
    /// Accept any self-signed certificate from a version 1 (original) box, whose nginx ships one
    /// (<c>CN=Bruce</c>, expired in 2018). Such a connection is encrypted but not authenticated; a
    /// version 2 box is never let through this way. Default false.
    /// </summary>
    public bool AcceptSelfSignedVersion1 { get; set; }
}
