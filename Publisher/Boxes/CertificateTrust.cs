namespace Dandelion.Publisher.Boxes;

/// <summary>How a box's TLS certificate was let through (<see cref="BoxCertificates"/>), or not.</summary>
internal enum CertificateTrust
{
    Refused,
    System,
    Pinned,
    Bundle,
    /// <summary>Self-signed, let through because the box speaks version 1 and the operator opted in.</summary>
    SelfSignedVersion1,
}
