using Dandelion.Shared.Configuration;
using Microsoft.Extensions.Configuration;

namespace Dandelion.Shared.Tests;

// Environment variables are process-wide: every test here uses a section name of its own,
// and the tests of this class run one at a time (xunit runs a class's tests in sequence).
public sealed class DandelionConfigurationTests
{
    private static IConfigurationRoot Build(params string[] args) =>
        new ConfigurationBuilder().AddDandelionConfiguration(args).Build();

    private static string Section() => "T" + Guid.NewGuid().ToString("N");

    [Fact]
    public void Nested_sections_and_lists_are_flattened_like_json()
    {
        using var directory = new TemporaryDirectory();
        var s = Section();
        var file = directory.File("config.yaml");
        File.WriteAllText(file, $"""
            # a comment
            {s}:
              Redis: redis:6379
              Peers:
                - ws://198.51.100.1:8000/dandelion/ws/
                - ws://198.51.100.2:8000/dandelion/ws/
              Auth:
                Secret: "s3cret: with a colon"
                AllowVersion1: true
              Routes:
                - Path: /live
                  Ttl: 60
                - {"{"} Path: /vod, Ttl: 0 {"}"}
              Weights: {"{"}distance: 0.4, bandwidth: 0.3{"}"}
            """);

        var config = Build("--config", file);

        Assert.Equal("redis:6379", config[$"{s}:Redis"]);
        Assert.Equal("ws://198.51.100.1:8000/dandelion/ws/", config[$"{s}:Peers:0"]);
        Assert.Equal("ws://198.51.100.2:8000/dandelion/ws/", config[$"{s}:Peers:1"]);
        Assert.Null(config[$"{s}:Peers:2"]);
        Assert.Equal("s3cret: with a colon", config[$"{s}:Auth:Secret"]);
        Assert.Equal("true", config[$"{s}:Auth:AllowVersion1"]);
        Assert.Equal("/live", config[$"{s}:Routes:0:Path"]);
        Assert.Equal("60", config[$"{s}:Routes:0:Ttl"]);
        Assert.Equal("/vod", config[$"{s}:Routes:1:Path"]);
        Assert.Equal("0.4", config[$"{s}:Weights:distance"]);
        // Keys are case-insensitive, as everywhere in Microsoft.Extensions.Configuration.
        Assert.Equal("redis:6379", config[$"{s.ToLowerInvariant()}:redis"]);
        // And they bind.
        Assert.Equal(["ws://198.51.100.1:8000/dandelion/ws/", "ws://198.51.100.2:8000/dandelion/ws/"], config.GetSection($"{s}:Peers").Get<string[]>()!);
        Assert.True(config.GetValue<bool>($"{s}:Auth:AllowVersion1"));
    }

    [Fact]
    public void Environment_variable_overrides_the_file_and_the_command_line_overrides_both()
    {
        using var directory = new TemporaryDirectory();
        var s = Section();
        var file = directory.File("config.yaml");
        File.WriteAllText(file, $"{s}:\n  Redis: from-file\n  Port: 8000\n  Name: file\n");
        Environment.SetEnvironmentVariable($"DANDELION_{s}__Redis", "from-env");
        Environment.SetEnvironmentVariable($"DANDELION_{s}__Name", "from-env");
        try
        {
            var config = Build("--config", file, $"--{s}:Name=from-cli");

            Assert.Equal("from-env", config[$"{s}:Redis"]);
            Assert.Equal("8000", config[$"{s}:Port"]);
            Assert.Equal("from-cli", config[$"{s}:Name"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable($"DANDELION_{s}__Redis", null);
            Environment.SetEnvironmentVariable($"DANDELION_{s}__Name", null);
        }
    }

    [Theory]
    // "--config path", with the next argument a setting: it must not be taken as the path's value.
    [InlineData("--config", true)]
    // "--config=path".
    [InlineData("--config=", false)]
    public void Config_argument_picks_the_file_and_leaves_the_other_arguments_alone(string form, bool separate)
    {
        using var directory = new TemporaryDirectory();
        var s = Section();
        var file = directory.File("node.yaml");
        File.WriteAllText(file, $"{s}:\n  Redis: picked\n  Name: file\n");
        string[] args = separate ? [form, file, $"--{s}:Name=cli"] : [form + file, $"--{s}:Name=cli"];

        var config = Build(args);

        Assert.Equal("picked", config[$"{s}:Redis"]);
        Assert.Equal("cli", config[$"{s}:Name"]);
        // The path is not itself a setting.
        Assert.Null(config["config"]);
        Assert.DoesNotContain(config.AsEnumerable(), pair => pair.Value == file || pair.Key.Contains("node.yaml", StringComparison.Ordinal));
    }

    [Theory]
    // "--config" last, with nothing after it.
    [InlineData("--config")]
    // "--config=" with an empty path.
    [InlineData("--config=")]
    public void Config_argument_without_a_path_is_an_error_not_the_default_file(string argument)
    {
        var error = Assert.Throws<ArgumentException>(() => Build("--Box:Port=1", argument));

        Assert.Contains("--config needs the path of a configuration file", error.Message);
    }

    [Fact]
    public void Config_environment_variable_picks_the_file_when_no_argument_does()
    {
        using var directory = new TemporaryDirectory();
        var s = Section();
        var file = directory.File("from-env.yaml");
        File.WriteAllText(file, $"{s}:\n  Redis: picked-by-env\n");
        Environment.SetEnvironmentVariable(DandelionConfiguration.FileVariable, file);
        try
        {
            Assert.Equal("picked-by-env", Build()[$"{s}:Redis"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(DandelionConfiguration.FileVariable, null);
        }
    }

    [Fact]
    public void A_dot_file_can_be_the_config_file()
    {
        using var directory = new TemporaryDirectory();
        var s = Section();
        var file = directory.File(".dandelion.yaml");
        File.WriteAllText(file, $"{s}:\n  Redis: hidden-file\n");

        Assert.Equal("hidden-file", Build("--config", file)[$"{s}:Redis"]);
    }

    [Fact]
    public void A_relative_config_path_is_resolved_against_the_working_directory()
    {
        var s = Section();
        var name = $"dandelion-{s}.yaml";
        var full = Path.GetFullPath(name);
        File.WriteAllText(full, $"{s}:\n  Redis: relative\n");
        try
        {
            Assert.Equal("relative", Build("--config", name)[$"{s}:Redis"]);
        }
        finally
        {
            File.Delete(full);
        }
    }

    [Fact]
    public void A_missing_explicit_file_is_an_error_naming_the_path()
    {
        using var directory = new TemporaryDirectory();
        var missing = directory.File("nope.yaml");

        var error = Assert.Throws<FileNotFoundException>(() => Build("--config", missing));

        Assert.Contains(missing, error.Message);
        Assert.Equal(missing, error.FileName);
    }

    [Fact]
    public void A_missing_file_from_the_environment_variable_is_an_error_naming_the_path()
    {
        using var directory = new TemporaryDirectory();
        var missing = directory.File("nope.yaml");
        Environment.SetEnvironmentVariable(DandelionConfiguration.FileVariable, missing);
        try
        {
            var error = Assert.Throws<FileNotFoundException>(() => Build());
            Assert.Contains(missing, error.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(DandelionConfiguration.FileVariable, null);
        }
    }

    [Theory]
    // A mapping value where none may be: line 2.
    [InlineData("Entrance:\n  Redis: a: b\n", 2)]
    // An unclosed flow sequence (YamlDotNet throws InvalidOperationException for it): the
    // nearest place named is the list's first item.
    [InlineData("Entrance:\n  Peers: [a, b\nBox:\n  Port: 1\n", 2)]
    // A key given twice.
    [InlineData("Entrance:\n  Redis: a\n  Redis: b\n", 3)]
    // A tab for indentation: YamlDotNet names the mapping that holds it.
    [InlineData("Entrance:\n\tRedis: a\n", 1)]
    public void Invalid_yaml_is_a_format_error_with_line_and_column_inside_one_naming_the_file(string yaml, int line)
    {
        using var directory = new TemporaryDirectory();
        var file = directory.File("config.yaml");
        File.WriteAllText(file, yaml);

        var error = Assert.ThrowsAny<Exception>(() => Build("--config", file));

        // The configuration system names the file; our provider says where in it.
        Assert.Contains(file, error.Message);
        var format = Assert.IsType<FormatException>(error.InnerException);
        Assert.Matches($@"at line {line}, column \d+", format.Message);
    }

    [Fact]
    public void A_key_that_is_not_a_name_is_a_format_error()
    {
        using var directory = new TemporaryDirectory();
        var file = directory.File("config.yaml");
        File.WriteAllText(file, "? [a, b]\n: value\n");

        var error = Assert.ThrowsAny<Exception>(() => Build("--config", file));

        var format = Assert.IsType<FormatException>(error.InnerException);
        Assert.Contains("line 1, column 3", format.Message);
    }

    [Theory]
    // YAML's null, in its spellings, and an empty value: not set.
    [InlineData("~", null)]
    [InlineData("null", null)]
    [InlineData("Null", null)]
    [InlineData("NULL", null)]
    [InlineData("", null)]
    // Quoted, they are text.
    [InlineData("\"~\"", "~")]
    [InlineData("'null'", "null")]
    [InlineData("\"\"", "")]
    // Ordinary values.
    [InlineData("0", "0")]
    [InlineData("nullable", "nullable")]
    public void Yaml_null_means_unset(string yaml, string? expected)
    {
        using var directory = new TemporaryDirectory();
        var s = Section();
        var file = directory.File("config.yaml");
        File.WriteAllText(file, $"{s}:\n  Redis: {yaml}\n  Other: x\n");

        var config = Build("--config", file);

        Assert.Equal(expected, config[$"{s}:Redis"]);
    }

    [Fact]
    public void A_null_value_leaves_the_default_of_a_bound_option()
    {
        using var directory = new TemporaryDirectory();
        var s = Section();
        var file = directory.File("config.yaml");
        File.WriteAllText(file, $"{s}:\n  Port: ~\n  Heartbeat:\n  Name: box\n");

        var options = new SampleOptions();
        Build("--config", file).GetSection(s).Bind(options);

        Assert.Equal(17170, options.Port);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Heartbeat);
        Assert.Equal("box", options.Name);
    }

    [Fact]
    public void An_empty_file_gives_no_keys()
    {
        using var directory = new TemporaryDirectory();
        var file = directory.File("config.yaml");
        File.WriteAllText(file, "# nothing set\n");

        var config = Build("--config", file);

        Assert.DoesNotContain(config.AsEnumerable(), pair => pair.Key.StartsWith('T') && pair.Key.Length == 33);
    }

    private sealed class SampleOptions
    {
        public int Port { get; set; } = 17170;
        public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(5);
        public string Name { get; set; } = "";
    }
}
