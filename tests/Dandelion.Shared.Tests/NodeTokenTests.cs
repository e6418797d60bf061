using Dandelion.Shared.Auth;

namespace Dandelion.Shared.Tests;

public sealed class NodeTokenTests
{
    private const string Secret = "operator-secret";
    private const string BoxId = "box-0123456789abcdef0123456789abcdef";

    [Fact]
    public void Token_for_the_right_id_and_secret_verifies()
    {
        var token = NodeToken.Compute(Secret, BoxId);

        Assert.True(NodeToken.Verify(Secret, BoxId, token));
    }

    [Fact]
    public void Token_is_base64url_of_hmac_sha256_and_the_same_every_time()
    {
        // HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog"), the well-known
        // example every HMAC tool reproduces: f7bc83f4...d8, here in base64url without padding.
        Assert.Equal("97yD9DBThCSxMpjmqm-xQ-9NWaFJRhdZl0edvC0aPNg",
            NodeToken.Compute("key", "The quick brown fox jumps over the lazy dog"));
        Assert.Equal(NodeToken.Compute(Secret, BoxId), NodeToken.Compute(Secret, BoxId));
    }

    [Theory]
    // Another node's token: a leaked token speaks for one node only.
    [InlineData(Secret, "box-ffffffffffffffffffffffffffffffff", null)]
    // The right id under another secret.
    [InlineData("another-secret", BoxId, null)]
    // No token, an empty one, white space.
    [InlineData(Secret, BoxId, "")]
    [InlineData(Secret, BoxId, " ")]
    // The right token with padding, cut short, with a character added, in standard base64.
    [InlineData(Secret, BoxId, "=pad")]
    [InlineData(Secret, BoxId, "-1")]
    [InlineData(Secret, BoxId, "+1")]
    [InlineData(Secret, BoxId, "std")]
    public void Wrong_or_missing_tokens_are_refused(string secret, string id, string? tamper)
    {
        var right = NodeToken.Compute(Secret, BoxId);
        var token = tamper switch
        {
            null => NodeToken.Compute(secret, id),
            "=pad" => right + "=",
            "-1" => right[..^1],
            "+1" => right + "A",
            "std" => Convert.ToBase64String(Convert.FromBase64String(right.Replace('-', '+').Replace('_', '/') + "=")),
            _ => tamper,
        };
        // Each row must differ from the right token, or it tests nothing.
        Assert.NotEqual(right, token);

        Assert.False(NodeToken.Verify(Secret, BoxId, token));
    }

    [Fact]
    public void Null_token_is_refused()
    {
        Assert.False(NodeToken.Verify(Secret, BoxId, null));
    }

    [Fact]
    public void Every_single_character_change_is_refused()
    {
        var token = NodeToken.Compute(Secret, BoxId);

        for (var i = 0; i < token.Length; i++)
        {
            var tampered = token.ToCharArray();
            tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
            Assert.False(NodeToken.Verify(Secret, BoxId, new string(tampered)), $"changed at {i}");
        }
    }

    [Fact]
    public void An_empty_secret_verifies_nothing()
    {
        // Anyone can compute an HMAC under an empty key.
        Assert.False(NodeToken.Verify("", BoxId, NodeToken.Compute("", BoxId)));
    }
}
