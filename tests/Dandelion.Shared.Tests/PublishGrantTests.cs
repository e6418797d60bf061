using System.Security.Cryptography;
using Dandelion.Shared.Auth;

namespace Dandelion.Shared.Tests;

public sealed class PublishGrantTests
{
    private const string PublisherId = "publisher-fedcba9876543210fedcba9876543210";
    private const string OtherPublisher = "publisher-00000000000000000000000000000000";
    private const string BoxId = "box-0123456789abcdef0123456789abcdef";
    private const string OtherBox = "box-11111111111111111111111111111111";

    // A fixed clock: grants are checked against the time given, never the machine's.
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Expires = Now.AddHours(1);

    private static ECDsa NewKey() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    [Fact]
    public void A_grant_binds_the_viewer_url_key_it_names_and_a_changed_fingerprint_breaks_it()
    {
        using var key = NewKey();
        var fingerprint = ViewerUrl.Fingerprint(new byte[ViewerUrl.KeyBytes]);
        var grant = PublishGrant.Issue(key, PublisherId, BoxId, Expires, fingerprint);

        Assert.True(PublishGrant.Verify(key, grant, PublisherId, BoxId, Now, out var bound));
        Assert.Equal(fingerprint, bound);
        var other = ViewerUrl.Fingerprint(Enumerable.Repeat((byte)1, ViewerUrl.KeyBytes).ToArray());
        Assert.False(PublishGrant.Verify(key, grant.Replace(fingerprint, other), PublisherId, BoxId, Now, out bound));
        Assert.Null(bound);
        // A grant without a key names none; one whose key part is removed no longer verifies.
        Assert.True(PublishGrant.Verify(key, PublishGrant.Issue(key, PublisherId, BoxId, Expires), PublisherId, BoxId, Now, out bound));
        Assert.Null(bound);
        Assert.False(PublishGrant.Verify(key, grant.Replace("." + fingerprint, ""), PublisherId, BoxId, Now));
    }

    [Fact]
    public void Issued_grant_verifies_until_its_expiry_second()
    {
        using var key = NewKey();
        var grant = PublishGrant.Issue(key, PublisherId, BoxId, Expires);

        Assert.True(PublishGrant.Verify(key, grant, PublisherId, BoxId, Now));
        Assert.True(PublishGrant.Verify(key, grant, PublisherId, BoxId, Expires));
        Assert.False(PublishGrant.Verify(key, grant, PublisherId, BoxId, Expires.AddSeconds(1)));
    }

    [Fact]
    public void Grant_has_the_documented_shape()
    {
        using var key = NewKey();

        var parts = PublishGrant.Issue(key, PublisherId, BoxId, Expires).Split('.');

        Assert.Equal(4, parts.Length);
        Assert.Equal(PublisherId, parts[0]);
        Assert.Equal(BoxId, parts[1]);
        Assert.Equal(Expires.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), parts[2]);
        // P-256 signature, IEEE P1363 (r || s), base64url without padding: 64 bytes, 86 characters.
        Assert.Equal(86, parts[3].Length);
        Assert.DoesNotContain('=', parts[3]);
    }

    [Fact]
    public void Expired_grant_is_refused()
    {
        using var key = NewKey();
        var grant = PublishGrant.Issue(key, PublisherId, BoxId, Now.AddSeconds(-1));

        Assert.False(PublishGrant.Verify(key, grant, PublisherId, BoxId, Now));
    }

    [Fact]
    public void Grant_for_another_publisher_is_refused()
    {
        using var key = NewKey();
        var grant = PublishGrant.Issue(key, OtherPublisher, BoxId, Expires);

        Assert.False(PublishGrant.Verify(key, grant, PublisherId, BoxId, Now));
    }

    [Fact]
    public void Grant_for_another_box_is_refused()
    {
        // Replay: a grant one box was shown, taken to another.
        using var key = NewKey();
        var grant = PublishGrant.Issue(key, PublisherId, OtherBox, Expires);

        Assert.False(PublishGrant.Verify(key, grant, PublisherId, BoxId, Now));
        Assert.True(PublishGrant.Verify(key, grant, PublisherId, OtherBox, Now));
    }

    [Fact]
    public void Grant_signed_with_another_key_is_refused()
    {
        using var entrance = NewKey();
        using var impostor = NewKey();
        var grant = PublishGrant.Issue(impostor, PublisherId, BoxId, Expires);

        Assert.False(PublishGrant.Verify(entrance, grant, PublisherId, BoxId, Now));
    }

    [Theory]
    // A later expiry pasted over the signed one.
    [InlineData("later-expiry")]
    // Another publisher's id pasted over the signed one.
    [InlineData("other-id")]
    // Another box's id pasted over the signed one.
    [InlineData("other-box")]
    // One signature character changed.
    [InlineData("signature-char")]
    // The signature cut short.
    [InlineData("signature-short")]
    // The signature left out, with and without its dot.
    [InlineData("no-signature")]
    [InlineData("no-signature-dot")]
    public void Tampered_grant_is_refused(string tampering)
    {
        using var key = NewKey();
        var grant = PublishGrant.Issue(key, PublisherId, BoxId, Expires);
        var parts = grant.Split('.');
        var tampered = tampering switch
        {
            "later-expiry" => $"{parts[0]}.{parts[1]}.{Expires.AddDays(365).ToUnixTimeSeconds()}.{parts[3]}",
            "other-id" => $"{OtherPublisher}.{parts[1]}.{parts[2]}.{parts[3]}",
            "other-box" => $"{parts[0]}.{OtherBox}.{parts[2]}.{parts[3]}",
            "signature-char" => $"{parts[0]}.{parts[1]}.{parts[2]}.{(parts[3][0] == 'A' ? 'B' : 'A')}{parts[3][1..]}",
            "signature-short" => grant[..^4],
            "no-signature" => $"{parts[0]}.{parts[1]}.{parts[2]}.",
            "no-signature-dot" => $"{parts[0]}.{parts[1]}.{parts[2]}",
            _ => throw new ArgumentOutOfRangeException(nameof(tampering)),
        };
        Assert.NotEqual(grant, tampered);
        var verifier = tampering == "other-id" ? OtherPublisher : PublisherId;
        var box = tampering == "other-box" ? OtherBox : BoxId;

        Assert.False(PublishGrant.Verify(key, tampered, verifier, box, Now));
    }

    [Theory]
    // Nothing.
    [InlineData(null)]
    [InlineData("")]
    // No dots, one dot, dots only.
    [InlineData("garbage")]
    [InlineData("publisher-x.123")]
    [InlineData("..")]
    [InlineData("...")]
    // An expiry that is not a number, negative, signed, or past Int64.
    [InlineData("publisher-fedcba9876543210fedcba9876543210.box-0123456789abcdef0123456789abcdef.soon.AAAA")]
    [InlineData("publisher-fedcba9876543210fedcba9876543210.box-0123456789abcdef0123456789abcdef.-1.AAAA")]
    [InlineData("publisher-fedcba9876543210fedcba9876543210.box-0123456789abcdef0123456789abcdef.+9999999999.AAAA")]
    [InlineData("publisher-fedcba9876543210fedcba9876543210.box-0123456789abcdef0123456789abcdef.99999999999999999999999.AAAA")]
    // A signature that is not base64url.
    [InlineData("publisher-fedcba9876543210fedcba9876543210.box-0123456789abcdef0123456789abcdef.9999999999.!!!!")]
    // A well-formed but wrong signature of the right length.
    [InlineData("publisher-fedcba9876543210fedcba9876543210.box-0123456789abcdef0123456789abcdef.9999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    // Non-ASCII.
    [InlineData("publisher-fedcba9876543210fedcba9876543210.box-0123456789abcdef0123456789abcdef.٩٩٩٩٩٩٩٩٩٩.AAAA")]
    public void Garbage_is_refused_without_throwing(string? grant)
    {
        using var key = NewKey();

        Assert.False(PublishGrant.Verify(key, grant, PublisherId, BoxId, Now));
    }

    [Fact]
    public void Exported_public_key_verifies_grants_and_cannot_make_them()
    {
        using var entrance = NewKey();
        var grant = PublishGrant.Issue(entrance, PublisherId, BoxId, Expires);

        using var box = PublishGrant.ImportPublicKey(PublishGrant.ExportPublicKey(entrance));

        Assert.NotNull(box);
        Assert.True(PublishGrant.Verify(box, grant, PublisherId, BoxId, Now));
        Assert.ThrowsAny<CryptographicException>(() => PublishGrant.Issue(box, PublisherId, BoxId, Expires));
    }

    [Fact]
    public void Exported_key_is_base64_subject_public_key_info_and_round_trips()
    {
        using var entrance = NewKey();
        var exported = PublishGrant.ExportPublicKey(entrance);

        using var imported = PublishGrant.ImportPublicKey(exported)!;

        Assert.Equal(entrance.ExportSubjectPublicKeyInfo(), Convert.FromBase64String(exported));
        Assert.Equal(exported, PublishGrant.ExportPublicKey(imported));
    }

    [Theory]
    // Nothing.
    [InlineData(null)]
    [InlineData("")]
    // Not base64.
    [InlineData("not a key!")]
    // Base64 of something that is not a key.
    [InlineData("aGVsbG8gd29ybGQ=")]
    // A key cut short.
    [InlineData("cut")]
    // A key with bytes after it.
    [InlineData("trailing")]
    // An RSA key, not an EC one.
    [InlineData("rsa")]
    public void Importing_garbage_gives_null(string? input)
    {
        using var real = NewKey();
        var spki = real.ExportSubjectPublicKeyInfo();
        var text = input switch
        {
            "cut" => Convert.ToBase64String(spki[..^8]),
            "trailing" => Convert.ToBase64String([.. spki, 0, 0]),
            "rsa" => RsaKey(),
            _ => input,
        };

        Assert.Null(PublishGrant.ImportPublicKey(text));
    }

    private static string RsaKey()
    {
        using var rsa = RSA.Create(2048);
        return Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
    }
}
