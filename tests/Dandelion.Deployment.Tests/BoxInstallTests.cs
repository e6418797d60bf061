using System.Diagnostics;
using System.Text.RegularExpressions;
using Dandelion.Testing;
using Microsoft.Extensions.Configuration;

namespace Dandelion.Deployment.Tests;

/// <summary>
/// The box on a household device: the systemd unit, the install script and the settings it
/// installs agree with each other and with the box. The script runs for real, into a
/// directory tree (<c>--root</c>), so no user or service is made on the test machine.
/// </summary>
public sealed partial class BoxInstallTests : IDisposable
{
    private static readonly string Deploy = Path.Combine(RepositoryPaths.Root, "deploy", "box");
    private readonly string _root = Directory.CreateTempSubdirectory("dandelion-install-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void The_unit_runs_the_installed_program_as_the_unprivileged_user_with_the_installed_settings()
    {
        var unit = Unit();
        var script = ScriptVariables();
        Assert.Equal($"{script["BIN_DIR"]}/Dandelion.Box", unit["ExecStart"].Single());
        Assert.Contains($"DANDELION_CONFIG={script["CONFIG_FILE"]}", unit["Environment"]);
        Assert.Equal(script["USER_NAME"], unit["User"].Single());
        Assert.Equal(script["DATA_DIR"], unit["WorkingDirectory"].Single());
        Assert.Contains(script["DATA_DIR"], unit["ReadWritePaths"].Single().Split(' '));
        Assert.Equal($"/etc/systemd/system/{script["SERVICE"]}.service", script["UNIT_FILE"]);
        Assert.Equal("notify", unit["Type"].Single()); // the box calls UseSystemd()
        Assert.Equal("always", unit["Restart"].Single());
        Assert.Equal("5", unit["RestartSec"].Single());
        foreach (var (key, value) in new[] { ("NoNewPrivileges", "yes"), ("ProtectSystem", "strict"), ("ProtectHome", "yes"), ("PrivateTmp", "yes") })
            Assert.Equal(value, unit[key].Single());
        Assert.False(unit.ContainsKey("MemoryDenyWriteExecute"), "the native runtime was not tried under it");
        Assert.Equal("multi-user.target", unit["WantedBy"].Single());
    }

    [Fact]
    public void The_installed_settings_are_box_keys_that_pass_validation_and_keep_data_where_the_unit_may_write()
    {
        var path = Path.Combine(Deploy, "box.yaml");
        var configuration = ExampleConfig.Load(path);
        Assert.Equal([App.Box.Section], configuration.GetChildren().Select(c => c.Key));
        var options = new Box.Node.BoxOptions();
        configuration.GetSection(App.Box.Section).Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        Assert.Equal(ScriptVariables()["DATA_DIR"], options.DataDirectory);
        var result = App.Box.Validate(options);
        Assert.False(result.Failed, result.FailureMessage);
        // Everything the box writes lies under its data directory unless box.yaml says otherwise.
        Assert.StartsWith(options.DataDirectory + "/", options.StorageDirectory);
        Assert.StartsWith(options.DataDirectory + "/", options.AccessLog);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // a shell script and Unix file modes
    public async Task Install_puts_everything_in_place_again_without_touching_the_settings_and_uninstall_keeps_them_unless_purged()
    {
        var binary = Path.Combine(_root, "Dandelion.Box");
        await File.WriteAllBytesAsync(binary, Program("x64", "first build"));
        var tree = Path.Combine(_root, "tree");

        await RunAsync("--root", tree, "--binary", binary, "--arch", "x64", "--yes");
        Assert.Equal(Program("x64", "first build"), await File.ReadAllBytesAsync(Path.Combine(tree, "opt/dandelion-box/Dandelion.Box")));
        Assert.True((File.GetUnixFileMode(Path.Combine(tree, "opt/dandelion-box/Dandelion.Box")) & UnixFileMode.UserExecute) != 0);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(Deploy, "box.yaml")), await File.ReadAllTextAsync(Path.Combine(tree, "etc/dandelion/box.yaml")));
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(Deploy, "dandelion-box.service")),
            await File.ReadAllTextAsync(Path.Combine(tree, "etc/systemd/system/dandelion-box.service")));
        Assert.True(Directory.Exists(Path.Combine(tree, "var/lib/dandelion-box")));

        // An update: a new program, the operator's settings kept.
        await File.WriteAllTextAsync(Path.Combine(tree, "etc/dandelion/box.yaml"), "Box:\n  Entrances: [ws://mine/dandelion/ws/]\n");
        await File.WriteAllBytesAsync(binary, Program("x64", "second build"));
        var output = await RunAsync("--root", tree, "--binary", binary, "--arch", "x64", "--yes");
        Assert.Contains("kept /etc/dandelion/box.yaml", output);
        Assert.Equal(Program("x64", "second build"), await File.ReadAllBytesAsync(Path.Combine(tree, "opt/dandelion-box/Dandelion.Box")));
        Assert.Contains("ws://mine/", await File.ReadAllTextAsync(Path.Combine(tree, "etc/dandelion/box.yaml")));

        await RunAsync("--root", tree, "--uninstall");
        Assert.False(Directory.Exists(Path.Combine(tree, "opt/dandelion-box")));
        Assert.False(File.Exists(Path.Combine(tree, "etc/systemd/system/dandelion-box.service")));
        Assert.True(File.Exists(Path.Combine(tree, "etc/dandelion/box.yaml")));
        Assert.True(Directory.Exists(Path.Combine(tree, "var/lib/dandelion-box")));

        await RunAsync("--root", tree, "--uninstall", "--purge");
        Assert.False(File.Exists(Path.Combine(tree, "etc/dandelion/box.yaml")));
        Assert.False(Directory.Exists(Path.Combine(tree, "var/lib/dandelion-box")));
    }

    [Fact]
    public async Task Install_refuses_a_missing_program()
    {
        var (code, output) = await TryRunAsync("--root", Path.Combine(_root, "tree"), "--binary", Path.Combine(_root, "nothing"));
        Assert.NotEqual(0, code);
        Assert.Contains("not found", output);
        Assert.False(Directory.Exists(Path.Combine(_root, "tree", "opt")));
    }

    [Theory]
    [InlineData("x64", "arm64")] // an x64 build on a Raspberry Pi
    [InlineData("arm64", "x64")]
    public async Task Install_refuses_a_program_built_for_another_architecture(string device, string built)
    {
        var binary = Path.Combine(_root, "Dandelion.Box");
        await File.WriteAllBytesAsync(binary, Program(built, "a build"));
        var (code, output) = await TryRunAsync("--root", Path.Combine(_root, "tree"), "--binary", binary, "--arch", device, "--yes");
        Assert.NotEqual(0, code);
        Assert.Contains($"not a program for {device} Linux", output);
        Assert.False(Directory.Exists(Path.Combine(_root, "tree", "opt")));
    }

    [Theory]
    [InlineData("--upload-ceiling", "1000")]    // under 16 KiB/s
    [InlineData("--upload-ceiling", "fast")]    // not a number
    [InlineData("--quota", "10M")]              // under the 64 MiB largest file
    [InlineData("--keep-disk-free", "10")]      // a percentage, not a share
    [InlineData("--entrance", "ftp://e/ws/")]   // not a WebSocket URL in either form (ws:// or the original's http://)
    [InlineData("--entrance", "ws://e/\"ws/")]  // a quote would break the YAML it is written into
    public async Task Install_refuses_a_bad_setting_before_it_touches_anything(string flag, string value)
    {
        var binary = Path.Combine(_root, "Dandelion.Box");
        await File.WriteAllBytesAsync(binary, Program("x64", "a build"));
        var (code, _) = await TryRunAsync("--root", Path.Combine(_root, "tree"), "--binary", binary, "--arch", "x64", "--yes", flag, value);
        Assert.NotEqual(0, code);
        Assert.False(Directory.Exists(Path.Combine(_root, "tree", "opt")));
    }

    [Theory]
    [InlineData("ws://entrance.example:8000/dandelion/ws/")]
    [InlineData("http://entrance.example:8000/dandelion/ws/")]   // as an original box lists its entrances (migrating box by box)
    [InlineData("https://entrance.example/dandelion/ws/")]
    public async Task Install_takes_an_entrance_url_in_either_form_and_the_box_accepts_the_settings(string url)
    {
        var binary = Path.Combine(_root, "Dandelion.Box");
        await File.WriteAllBytesAsync(binary, Program("x64", "a build"));
        var tree = Path.Combine(_root, "tree");
        await RunAsync("--root", tree, "--binary", binary, "--arch", "x64", "--yes", "--entrance", url);

        var options = new Box.Node.BoxOptions();
        ExampleConfig.Load(Path.Combine(tree, "etc/dandelion/box.yaml")).GetSection(App.Box.Section).Bind(options);
        Assert.Equal([url], options.Entrances);
        var result = App.Box.Validate(options);
        Assert.False(result.Failed, result.FailureMessage);
    }

    [Fact]
    public async Task Upgrade_needs_an_installed_box()
    {
        var binary = Path.Combine(_root, "Dandelion.Box");
        await File.WriteAllBytesAsync(binary, Program("x64", "a build"));
        var (code, output) = await TryRunAsync("--root", Path.Combine(_root, "tree"), "--binary", binary, "--arch", "x64", "--upgrade");
        Assert.NotEqual(0, code);
        Assert.Contains("install first", output);
    }

    /// <summary>Enough of an ELF executable for the script's check: the magic and the machine (x86-64 or aarch64).</summary>
    internal static byte[] Program(string arch, string text)
    {
        var header = new byte[64];
        "\u007fELF"u8.CopyTo(header);
        header[18] = arch == "x64" ? (byte)0x3e : (byte)0xb7;
        return [.. header, .. System.Text.Encoding.UTF8.GetBytes(text)];
    }

    private static Dictionary<string, List<string>> Unit()
    {
        var unit = new Dictionary<string, List<string>>();
        foreach (var line in File.ReadAllLines(Path.Combine(Deploy, "dandelion-box.service")))
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed[0] is '#' or ';' or '[')
                continue;
            var eq = trimmed.IndexOf('=', StringComparison.Ordinal);
            var key = trimmed[..eq];
            if (!unit.TryGetValue(key, out var values))
                unit[key] = values = [];
            values.Add(trimmed[(eq + 1)..]);
        }
        return unit;
    }

    private static Dictionary<string, string> ScriptVariables() =>
        ScriptVariable().Matches(File.ReadAllText(Path.Combine(Deploy, "install.sh")))
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

    internal static async Task<string> RunAsync(params string[] args)
    {
        var (code, output) = await TryRunAsync(args);
        Assert.True(code == 0, $"install.sh {string.Join(' ', args)} exited {code}:\n{output}");
        return output;
    }

    internal static async Task<(int, string)> TryRunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(Deploy, "install.sh"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"^([A-Z_]+)=([^\s$""]+)$", RegexOptions.Multiline)]
    private static partial Regex ScriptVariable();
}
