using System.Buffers.Text;
using System.Security.Cryptography;

namespace Dandelion.Shared.Auth;

/// <summary>
/// Proof, shown by a publisher to one box, that an entrance vouches for it there until a time:
/// <c>{publisher id}.{box id}.{expiry, unix seconds}.{base64url ECDSA P-256 signature}</c>, or, when the
/// publisher's SEARCH named its viewer URL key, <c>{publisher id}.{box id}.{expiry}.{key fingerprint}.{signature}</c>
/// (<see cref="ViewerUrl"/>): the box then takes that key, and only that one, for the publisher's URLs.
/// Entrances sign with a private key; boxes verify with the public key the entrance hands
/// them in EXCHANGE, so a box (on a stranger's network) can check grants but never make one,
/// and a grant one box saw opens no other box.
/// </summary>
public static class PublishGrant
{
    public static string Issue(ECDsa key, string publisherId, string boxId, DateTimeOffset expires, string? urlKeyFingerprint = null)
    {
        var body = Body(publisherId, boxId, expires.ToUnixTimeSeconds());
        if (ViewerUrl.IsFingerprint(urlKeyFingerprint))
            body += "." + urlKeyFingerprint;
        var signature = key.SignData(Encoding.UTF8.GetBytes(body), HashAlgorithmName.SHA256);
        return body + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>
    /// True when <paramref name="grant"/> names <paramref name="publisherId"/> and <paramref name="boxId"/>,
    /// has not expired at <paramref name="now"/>, and was signed by the key behind <paramref name="publicKey"/>.
    /// </summary>
    public static bool Verify(ECDsa publicKey, string? grant, string publisherId, string boxId, DateTimeOffset now) =>
        Verify(publicKey, grant, publisherId, boxId, now, out _);

    /// <param name="urlKeyFingerprint">The viewer URL key fingerprint the grant binds, when it is valid and binds one.</param>
    public static bool Verify(ECDsa publicKey, string? grant, string publisherId, string boxId, DateTimeOffset now, out string? urlKeyFingerprint)
    {
        urlKeyFingerprint = null;
        if (string.IsNullOrEmpty(grant))
            return false;
        var lastDot = grant.LastIndexOf('.');
        if (lastDot <= 0)
            return false;
        var body = grant[..lastDot];
        var signed = body;
        string? fingerprint = null;
        // Ids and expiries hold no '.' and are not 43 characters of base64url: a fourth part is the key's fingerprint.
        var fourth = body.LastIndexOf('.');
        if (fourth > 0 && ViewerUrl.IsFingerprint(body[(fourth + 1)..]))
        {
            fingerprint = body[(fourth + 1)..];
            body = body[..fourth];
        }
        var expiryDot = body.LastIndexOf('.');
        // Ids hold no dots, so the body is exactly "{publisher}.{box}.{expiry}".
        if (expiryDot <= 0 || body[..expiryDot] != publisherId + "." + boxId)
            return false;
        if (!long.TryParse(body.AsSpan(expiryDot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var expiry) ||
            expiry < now.ToUnixTimeSeconds())
            return false;

        byte[] signature;
        try
        {
            signature = Base64Url.DecodeFromChars(grant.AsSpan(lastDot + 1));
        }
        catch (FormatException)
        {
            return false;
        }
        if (!publicKey.VerifyData(Encoding.UTF8.GetBytes(signed), signature, HashAlgorithmName.SHA256))
            return false;
        urlKeyFingerprint = fingerprint;
        return true;
    }

    /// <summary>The public half as base64 SubjectPublicKeyInfo, the form sent in <c>GRANT_KEY</c>.</summary>
    public static string ExportPublicKey(ECDsa key) => Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());

    /// <summary>Reads a key sent as <c>GRANT_KEY</c>; null when it is not one.</summary>
    public static ECDsa? ImportPublicKey(string? base64)
    {
        if (string.IsNullOrEmpty(base64))
            return null;
        var key = ECDsa.Create();
        try
        {
            var bytes = Convert.FromBase64String(base64);
            key.ImportSubjectPublicKeyInfo(bytes, out var read);
            // A key followed by anything else is not the key the entrance sent.
            if (read != bytes.Length)
            {
                key.Dispose();
                return null;
            }
            return key;
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            key.Dispose();
            return null;
        }
    }

    private static string Body(string publisherId, string boxId, long expiry) =>
        publisherId + "." + boxId + "." + expiry.ToString(CultureInfo.InvariantCulture);
}
