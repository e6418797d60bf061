namespace Dandelion.Deployment.Tests;

/// <summary>config.example.yaml cannot drift from the code: it is checked against each program's options and validation.</summary>
public sealed class ExampleConfigTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dandelion-example-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("Entrance")]
    [InlineData("Box")]
    [InlineData("Publisher")]
    public void The_example_names_every_key_with_its_default_and_passes_validation(string name)
    {
        var problems = ExampleConfig.Problems(ExampleConfig.Path, App.Named(name));
        Assert.True(problems.Count == 0, "config.example.yaml:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void The_example_has_no_section_that_no_program_reads()
    {
        Assert.Empty(ExampleConfig.UnknownSections(ExampleConfig.Path));
    }

    // The checks above must be able to fail: each edit below is a way the file could drift.
    [Theory]
    // A key the code has, left out of the file.
    [InlineData("Box", "  MaxTtl: \"1.00:00:00\"\n", "", "Box:MaxTtl is not in the file.")]
    // A nested key left out.
    [InlineData("Entrance", "      Load: 0.15\n", "", "Entrance:Search:Weights:Load is not in the file.")]
    // A key the code does not have (a misspelling, or one removed from the code).
    [InlineData("Publisher", "  Boxes: 6\n", "  Boxes: 6\n  Boxs: 6\n", "Publisher:Boxs is in the file but PublisherOptions has no such key.")]
    // A value that is not the default.
    [InlineData("Publisher", "  Boxes: 6\n", "  Boxes: 7\n", "Publisher:Boxes: 6 → 7 (the file's value is not the default)")]
    // A "not set" key given a value.
    [InlineData("Entrance", "  PublicUrl: ~\n", "  PublicUrl: ws://example/dandelion/ws/\n", "Entrance:PublicUrl: ~ → 'ws://example/dandelion/ws/' (the file's value is not the default)")]
    // A value the program's validation refuses.
    [InlineData("Box", "  HttpPort: 8081\n", "  HttpPort: 8080\n", "validation: Box:HttpPort must differ from Box:Port.")]
    // A value that does not even bind.
    [InlineData("Box", "  WriteAccessLog: true\n", "  WriteAccessLog: sometimes\n", "Box does not bind:")]
    public void An_edited_example_is_caught(string name, string find, string replace, string expected)
    {
        var text = File.ReadAllText(ExampleConfig.Path);
        Assert.Contains(find, text);
        var edited = Path.Combine(_directory, "config.yaml");
        File.WriteAllText(edited, text.Replace(find, replace));

        var problems = ExampleConfig.Problems(edited, App.Named(name));

        Assert.Contains(problems, p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_section_no_program_reads_is_caught()
    {
        var edited = Path.Combine(_directory, "config.yaml");
        File.WriteAllText(edited, File.ReadAllText(ExampleConfig.Path) + "\nEntrence:\n  Redis: localhost:6379\n");
        Assert.Equal(["Entrence"], ExampleConfig.UnknownSections(edited));
    }
}
