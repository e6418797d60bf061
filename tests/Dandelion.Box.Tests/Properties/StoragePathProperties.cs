using CsCheck;
using Dandelion.Box.Files;

namespace Dandelion.Box.Tests.Properties;

/// <summary>
/// Path normalisation (<see cref="StoragePath.TryResolve"/>) over generated paths made of the
/// pieces path tricks are made of: whatever it accepts lies under the publisher's own directory,
/// and resolving its result again gives the same place (idempotent); it never throws.
/// </summary>
public sealed class StoragePathProperties
{
    private const string Publisher = "publisher-0123456789abcdef0123456789abcdef";
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "dandelion-storage-property");

    // Segments: plain names, dots, look-alike dots (one-dot leader, fullwidth, ideographic),
    // percent-encoded and overlong forms (taken literally: the box never decodes), backslashes,
    // NUL and control characters, spaces, very long names, and any text at all.
    private static readonly Gen<string> Segment = Gen.Frequency(
        (4, Gen.OneOf("a", "seg-1.ts", "live", "..", ".", "", " ", "...", "\u2024\u2024", "\uFF0E\uFF0E", "\u3002\u3002", "%2e%2e",
            "%252e%252e", "..%2f", "%c0%ae%c0%ae", "\u00c0\u00ae", "a\\..\\b", "\0", "a\u0001b", "\u2028", "~", "$HOME", "C:", "//",
            "\u202e", "con", "\ud800", new string('x', 255), new string('y', 256))),
        (1, Gen.String[0, 12]));

    private static readonly Gen<string> Paths = Gen.Select(Gen.Bool, Segment.Array[0, 12], Gen.Bool,
        (lead, parts, trail) => (lead ? "/" : "") + string.Join('/', parts) + (trail ? "/" : ""));

    [Fact]
    public void An_accepted_path_stays_inside_the_publishers_directory_and_resolving_it_again_changes_nothing()
    {
        var publisherRoot = Path.Combine(Path.GetFullPath(Root), Publisher) + Path.DirectorySeparatorChar;
        Paths.Sample(path =>
        {
            if (!StoragePath.TryResolve(Root, Publisher, path, out var target, out var error))
            {
                Assert.False(string.IsNullOrEmpty(error));
                Assert.Null(target);
                return;
            }
            Assert.StartsWith(publisherRoot, target!.FullPath, StringComparison.Ordinal);
            Assert.Equal(Path.GetFullPath(target.FullPath), target.FullPath);
            Assert.DoesNotContain("..", target.RelativePath.Split('/'));
            Assert.DoesNotContain('\\', target.RelativePath);
            Assert.DoesNotContain(target.RelativePath, char.IsControl);

            Assert.True(StoragePath.TryResolve(Root, Publisher, target.RelativePath, out var again, out _));
            Assert.Equal(target, again);
            Assert.True(StoragePath.TryResolve(Root, Publisher, "/" + target.RelativePath, out var rooted, out _));
            Assert.Equal(target, rooted);
        }, iter: 20_000, threads: 1);
    }

    [Fact]
    public void Any_publisher_id_that_is_not_one_is_refused_whatever_the_path()
    {
        Gen.Select(Gen.String[0, 50], Paths).Sample((publisher, path) =>
        {
            if (Dandelion.Shared.Identity.NodeIdentity.IsValid(publisher, Dandelion.Shared.Identity.NodeRole.Publisher))
                return;
            Assert.False(StoragePath.TryResolve(Root, publisher, path, out var target, out _));
            Assert.Null(target);
        }, iter: 10_000, threads: 1);
    }
}
