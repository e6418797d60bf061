using System.Text.RegularExpressions;
using Dandelion.Shared.Identity;

namespace Dandelion.Shared.Tests;

public sealed class NodeIdentityTests
{
    [Theory]
    [InlineData(NodeRole.Entrance, "^entrance-[0-9a-f]{32}$")]
    [InlineData(NodeRole.Box, "^box-[0-9a-f]{32}$")]
    [InlineData(NodeRole.Publisher, "^publisher-[0-9a-f]{32}$")]
    public void New_ids_are_the_role_prefix_and_32_lower_case_hex(NodeRole role, string pattern)
    {
        var id = NodeIdentity.New(role);

        Assert.Matches(new Regex(pattern), id);
        Assert.True(NodeIdentity.IsValid(id, role));
        Assert.True(NodeIdentity.IsValidAny(id));
        Assert.NotEqual(id, NodeIdentity.New(role));
    }

    [Fact]
    public void New_ids_are_uuid4()
    {
        var hex = NodeIdentity.New(NodeRole.Box)["box-".Length..];

        // The version nibble is 4 and the variant bits are 10xx, as Python's uuid4().hex.
        Assert.Equal('4', hex[12]);
        Assert.Contains(hex[16], "89ab");
    }

    [Theory]
    // The control row.
    [InlineData("box-0123456789abcdef0123456789abcdef", NodeRole.Box, true)]
    // Another role's prefix.
    [InlineData("box-0123456789abcdef0123456789abcdef", NodeRole.Publisher, false)]
    [InlineData("publisher-0123456789abcdef0123456789abcdef", NodeRole.Box, false)]
    // One hex digit short, one too many.
    [InlineData("box-0123456789abcdef0123456789abcde", NodeRole.Box, false)]
    [InlineData("box-0123456789abcdef0123456789abcdef0", NodeRole.Box, false)]
    // Upper-case hex: the original writes lower case only.
    [InlineData("box-0123456789ABCDEF0123456789abcdef", NodeRole.Box, false)]
    // Upper-case prefix.
    [InlineData("BOX-0123456789abcdef0123456789abcdef", NodeRole.Box, false)]
    // A uuid with dashes.
    [InlineData("box-01234567-89ab-cdef-0123-456789abcdef", NodeRole.Box, false)]
    // Not hex.
    [InlineData("box-0123456789abcdef0123456789abcdeg", NodeRole.Box, false)]
    // Nothing, and only the prefix.
    [InlineData("", NodeRole.Box, false)]
    [InlineData(null, NodeRole.Box, false)]
    [InlineData("box-", NodeRole.Box, false)]
    // Surrounding white space is not part of an id.
    [InlineData(" box-0123456789abcdef0123456789abcdef", NodeRole.Box, false)]
    // Full-width digits are digits to char.IsDigit, not to us.
    [InlineData("box-０123456789abcdef0123456789abcdef", NodeRole.Box, false)]
    public void IsValid_accepts_only_the_exact_form(string? id, NodeRole role, bool valid)
    {
        Assert.Equal(valid, NodeIdentity.IsValid(id, role));
    }

    [Theory]
    [InlineData(NodeRole.Entrance, "entrance.id")]
    [InlineData(NodeRole.Box, "box.id")]
    [InlineData(NodeRole.Publisher, "publisher.id")]
    public void LoadOrCreate_keeps_the_same_id_across_calls(NodeRole role, string fileName)
    {
        using var directory = new TemporaryDirectory();

        var first = NodeIdentity.LoadOrCreate(directory.Path, role);
        var second = NodeIdentity.LoadOrCreate(directory.Path, role);

        Assert.True(NodeIdentity.IsValid(first, role));
        Assert.Equal(first, second);
        Assert.Equal(first, File.ReadAllText(directory.File(fileName)).Trim());
        Assert.Equal([fileName], Directory.GetFiles(directory.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void LoadOrCreate_reads_an_id_written_by_hand_with_a_newline()
    {
        using var directory = new TemporaryDirectory();
        const string kept = "box-0123456789abcdef0123456789abcdef";
        File.WriteAllText(directory.File("box.id"), kept + "\r\n");

        Assert.Equal(kept, NodeIdentity.LoadOrCreate(directory.Path, NodeRole.Box));
    }

    [Theory]
    // Another role's id.
    [InlineData("publisher-0123456789abcdef0123456789abcdef")]
    // Wrong length.
    [InlineData("box-0123456789abcdef")]
    // Upper case.
    [InlineData("box-0123456789ABCDEF0123456789ABCDEF")]
    // Garbage, and nothing.
    [InlineData("\u0000\u0001 not an id")]
    [InlineData("")]
    public void LoadOrCreate_replaces_a_file_that_holds_no_id_of_its_role(string content)
    {
        using var directory = new TemporaryDirectory();
        File.WriteAllText(directory.File("box.id"), content);

        var id = NodeIdentity.LoadOrCreate(directory.Path, NodeRole.Box);

        Assert.True(NodeIdentity.IsValid(id, NodeRole.Box));
        Assert.Equal(id, File.ReadAllText(directory.File("box.id")).Trim());
        Assert.Equal(id, NodeIdentity.LoadOrCreate(directory.Path, NodeRole.Box));
    }

    [Fact]
    public void LoadOrCreate_creates_the_data_directory()
    {
        using var directory = new TemporaryDirectory();
        var nested = Path.Combine(directory.Path, "var", "lib", "dandelion");

        var id = NodeIdentity.LoadOrCreate(nested, NodeRole.Entrance);

        Assert.Equal(id, File.ReadAllText(Path.Combine(nested, "entrance.id")).Trim());
    }

    [Fact]
    public void Roles_keep_separate_files_in_one_directory()
    {
        using var directory = new TemporaryDirectory();

        var box = NodeIdentity.LoadOrCreate(directory.Path, NodeRole.Box);
        var publisher = NodeIdentity.LoadOrCreate(directory.Path, NodeRole.Publisher);

        Assert.StartsWith("box-", box);
        Assert.StartsWith("publisher-", publisher);
        Assert.Equal(box, NodeIdentity.LoadOrCreate(directory.Path, NodeRole.Box));
    }
}
