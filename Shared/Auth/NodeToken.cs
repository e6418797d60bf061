using System.Buffers.Text;
using System.Security.Cryptography;

namespace Dandelion.Shared.Auth;

/// <summary>
/// A node's credential for an entrance: base64url(HMAC-SHA256(secret, node id)). The
/// operator keeps one secret and hands each box or publisher the token for its own id
/// (<c>Dandelion.Entrance token {id}</c>), so a stolen token speaks for one node only and
/// the entrance needs no table of tokens.
/// </summary>
public static class NodeToken
{
    public static string Compute(string secret, string nodeId)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(nodeId), mac);
        return Base64Url.EncodeToString(mac);
    }

    /// <summary>Constant-time check of <paramref name="token"/> against the one for <paramref name="nodeId"/>.</summary>
    /// <remarks>
    /// False whenever <paramref name="secret"/> is empty: anyone can compute an HMAC under an
    /// empty key, so a deployment that forgot its secret fails closed.
    /// </remarks>
    public static bool Verify(string secret, string nodeId, string? token)
    {
        if (string.IsNullOrEmpty(token) || string.IsNullOrEmpty(secret))
            return false;
        var expected = Encoding.ASCII.GetBytes(Compute(secret, nodeId));
        var given = Encoding.UTF8.GetBytes(token);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
