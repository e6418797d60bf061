using System.Net;
using System.Text.RegularExpressions;
using Dandelion.Testing;
using Microsoft.Extensions.Configuration;
using YamlDotNet.RepresentationModel;
using static Dandelion.Deployment.Tests.ComposeFile;

namespace Dandelion.Deployment.Tests;

/// <summary>
/// The compose files, checked for what <c>docker compose config</c> and a first
/// <c>up</c> would find wrong, without a Docker engine (none here, nor in CI).
/// </summary>
public sealed partial class ComposeTests
{
    public static TheoryData<string, string[]> Files => new()
    {
        { "docker-compose.yml", ["redis", "geoipupdate-init", "geoipupdate", "entrance", "nginx",
            "redis-1", "redis-2", "redis-3", "redis-4", "redis-5", "redis-6", "redis-cluster-init",
            "cluster-entrance-1", "cluster-entrance-2", "cluster-entrance-3", "cluster-nginx"] },
        { "deploy/box/docker-compose.yml", ["box", "nginx"] },
        { "deploy/publisher/docker-compose.yml", ["publisher"] },
    };

    // What an operator puts in .env; a required variable without a sample here fails the test.
    private static readonly Dictionary<string, string> Samples = new()
    {
        ["GEOIPUPDATE_ACCOUNT_ID"] = "123456",
        ["GEOIPUPDATE_LICENSE_KEY"] = "sample-license-key",
        ["BOX_ENTRANCE_URL"] = "ws://entrance.example:8000/dandelion/ws/",
        ["BOX_PUBLIC_HOST"] = "203.0.113.7",
        ["PUBLISHER_ENTRANCE_URL"] = "ws://entrance.example:8000/dandelion/ws/",
    };

    private static ComposeFile Open(string file) => Load(RepositoryPaths.RequireFile(Path.Combine(RepositoryPaths.Root, file)));

    [Theory]
    [MemberData(nameof(Files))]
    public void Has_exactly_the_expected_services(string file, string[] services)
    {
        Assert.Equal(services.Order(), Open(file).AllServices.Select(s => s.Name).Order());
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Each_service_has_an_image_or_a_build_of_one_of_the_apps_from_the_Dockerfile(string file, string[] _)
    {
        var compose = Open(file);
        foreach (var (name, service) in compose.AllServices)
        {
            var build = Mapping(service, "build");
            Assert.True(build is not null || Scalar(service, "image") is { Length: > 0 }, $"{file}: {name} has neither image nor build");
            if (build is null)
            {
                Assert.Matches(ImageReference(), Scalar(service, "image")!);
                continue;
            }
            var context = Path.GetFullPath(Path.Combine(compose.Directory, Scalar(build, "context") ?? "."));
            Assert.True(File.Exists(Path.Combine(context, "Dandelion.sln")), $"{file}: {name}'s build context {context} is not the repository root");
            Assert.True(File.Exists(Path.Combine(context, Scalar(build, "dockerfile") ?? "Dockerfile")), $"{file}: {name}'s Dockerfile is missing");
            var app = Scalar(Mapping(build, "args") ?? new YamlMappingNode(), "APP");
            Assert.Contains(app, App.All.Select(a => a.Name));
            Assert.Equal(name, app!.ToLowerInvariant());
            Assert.True(File.Exists(Path.Combine(context, app, $"Dandelion.{app}.csproj")));
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Ports_are_host_colon_container_with_valid_numbers(string file, string[] _)
    {
        foreach (var (name, service) in Open(file).AllServices)
        {
            foreach (var port in Strings(Node(service, "ports")))
            {
                var resolved = Interpolate(port, Samples);
                var match = PortMapping().Match(resolved);
                Assert.True(match.Success, $"{file}: {name} port '{port}' is not host:container");
                Assert.InRange(int.Parse(match.Groups["host"].Value), 1, 65535);
                Assert.InRange(int.Parse(match.Groups["container"].Value), 1, 65535);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Named_volumes_are_declared_and_used_and_bind_mounted_files_exist(string file, string[] _)
    {
        var compose = Open(file);
        var used = new HashSet<string>();
        foreach (var (name, service) in compose.AllServices)
        {
            foreach (var volume in Strings(Node(service, "volumes")))
            {
                var parts = volume.Split(':');
                Assert.True(parts.Length is 2 or 3, $"{file}: {name} volume '{volume}' is not source:target[:mode]");
                Assert.StartsWith("/", parts[1]);
                if (parts.Length == 3)
                    Assert.Contains(parts[2], new[] { "ro", "rw" });
                if (parts[0].StartsWith('.') || parts[0].StartsWith('/'))
                {
                    // A directory docker may create; a file (a config) must be in the repository.
                    if (Path.HasExtension(parts[0]))
                        Assert.True(File.Exists(Path.Combine(compose.Directory, parts[0])), $"{file}: {name} mounts {parts[0]}, which does not exist");
                    continue;
                }
                Assert.True(compose.DeclaredVolumes.Contains(parts[0]), $"{file}: {name} uses volume '{parts[0]}', not declared under volumes:");
                used.Add(parts[0]);
            }
        }
        Assert.Equal(compose.DeclaredVolumes.Order(), used.Order());
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Health_checks_have_a_test_and_the_apps_ask_their_own_health(string file, string[] _)
    {
        foreach (var (name, service) in Open(file).AllServices)
        {
            var healthcheck = Mapping(service, "healthcheck");
            var app = Scalar(Mapping(Mapping(service, "build") ?? new YamlMappingNode(), "args") ?? new YamlMappingNode(), "APP");
            if (app is not null)
            {
                Assert.NotNull(healthcheck);
                // The final stage puts the published app in /app (DockerfileTests) and the
                // verb asks /health on loopback (HealthProbe; AppStartTests runs it).
                Assert.Equal(["CMD", "dotnet", $"/app/Dandelion.{app}.dll", "healthcheck"], Strings(Node(healthcheck, "test")));
            }
            if (healthcheck is null)
                continue;
            var test = Strings(Node(healthcheck, "test"));
            Assert.True(test.Count >= 2 && test[0] is "CMD" or "CMD-SHELL", $"{file}: {name}'s health check has no test");
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Dependencies_exist_and_wait_for_health_where_there_is_a_health_check(string file, string[] _)
    {
        var compose = Open(file);
        foreach (var (name, service) in compose.AllServices)
        {
            var dependsOn = Mapping(service, "depends_on");
            if (dependsOn is null)
                continue;
            foreach (var (key, value) in dependsOn.Children)
            {
                var target = ((YamlScalarNode)key).Value!;
                var targetService = Mapping(compose.Services, target);
                Assert.True(targetService is not null, $"{file}: {name} depends on {target}, which is not a service");
                var condition = Scalar((YamlMappingNode)value, "condition");
                if (Mapping(targetService!, "healthcheck") is not null)
                    Assert.Equal("service_healthy", condition);
                else
                    Assert.Contains(condition, new[] { "service_started", "service_completed_successfully" });
                // A service always started cannot wait for one that only a profile starts.
                if (Sequence(service, "profiles") is null)
                    Assert.Null(Sequence(targetService!, "profiles"));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Dandelion_variables_name_real_keys_and_bind(string file, string[] _)
    {
        foreach (var (name, service) in Open(file).AllServices)
        {
            var settings = new Dictionary<string, string?>();
            foreach (var (variable, value) in Environment(service))
            {
                foreach (var (used, required) in Variables(value))
                    Assert.True(!required || Samples.ContainsKey(used), $"{file}: {used} is required; add a sample to this test");
                if (!variable.StartsWith("DANDELION_", StringComparison.Ordinal))
                    continue;
                var key = variable["DANDELION_".Length..].Replace("__", ":", StringComparison.Ordinal);
                var app = App.All.SingleOrDefault(a => key.StartsWith(a.Section + ":", StringComparison.Ordinal));
                Assert.True(app is not null, $"{file}: {name} sets {variable}, which is in no program's section");
                var withoutIndex = ListIndex().Replace(key, "");
                Assert.True(OptionKeys.Of(app.OptionsType, app.Section).Contains(withoutIndex),
                    $"{file}: {name} sets {variable}, but {app.OptionsType.Name} has no key {withoutIndex} (keys are case-sensitive here: write them as the code does)");
                settings[key] = Interpolate(value, Samples);
            }
            // The values bind: numbers are numbers, booleans booleans, durations durations.
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            foreach (var app in App.All)
            {
                var options = app.Defaults();
                configuration.GetSection(app.Section).Bind(options, o => o.ErrorOnUnknownConfiguration = true);
            }
        }
    }

    [Fact]
    public void The_entrance_listens_where_its_port_is_published_and_finds_Redis_and_GeoIP_on_volumes()
    {
        var compose = Open("docker-compose.yml");
        var entrance = compose.Service("entrance");
        var env = Environment(entrance);
        Assert.Contains($"8000:{env["ASPNETCORE_HTTP_PORTS"]}", Strings(Node(entrance, "ports")));
        Assert.Equal("redis:6379", env["DANDELION_Entrance__Redis"]);
        AssertOnVolume(entrance, env["DANDELION_Entrance__DataDirectory"]);

        // geoipupdate writes to its image's database directory; the entrance reads the same volume.
        var city = env["DANDELION_Entrance__GeoIp__CityDatabase"];
        var geoipVolume = VolumeAt(entrance, Path.GetDirectoryName(city)!);
        Assert.Equal(Path.GetDirectoryName(city), Path.GetDirectoryName(env["DANDELION_Entrance__GeoIp__AsnDatabase"]));
        foreach (var updater in new[] { "geoipupdate-init", "geoipupdate" })
        {
            var service = compose.Service(updater);
            Assert.Equal("ghcr.io/maxmind/geoipupdate", Scalar(service, "image"));
            Assert.Equal(geoipVolume, VolumeAt(service, "/usr/share/GeoIP"));
            var updaterEnv = Environment(service);
            // Secrets come from the operator's environment, never written in the file.
            Assert.Matches(@"^\$\{GEOIPUPDATE_LICENSE_KEY(:?[?-][^}]*)?\}$", updaterEnv["GEOIPUPDATE_LICENSE_KEY"]);
            Assert.Matches(@"^\$\{GEOIPUPDATE_ACCOUNT_ID(:?[?-][^}]*)?\}$", updaterEnv["GEOIPUPDATE_ACCOUNT_ID"]);
            Assert.Equal(["GeoLite2-City", "GeoLite2-ASN"], updaterEnv["GEOIPUPDATE_EDITION_IDS"].Split(' '));
            Assert.Equal(Path.GetFileNameWithoutExtension(city), updaterEnv["GEOIPUPDATE_EDITION_IDS"].Split(' ')[0]);
        }
        Assert.Equal("0", Environment(compose.Service("geoipupdate-init"))["GEOIPUPDATE_FREQUENCY"]);
        Assert.True(int.Parse(Environment(compose.Service("geoipupdate"))["GEOIPUPDATE_FREQUENCY"]) > 0);

        var redis = compose.Service("redis");
        Assert.Contains("--appendonly", Strings(Node(redis, "command")));
        VolumeAt(redis, "/data");
    }

    [Fact]
    public void The_entrance_believes_X_Forwarded_For_from_nginx_only()
    {
        var compose = Open("docker-compose.yml");
        var nginx = compose.Service("nginx");
        Assert.Equal(["proxy"], Strings(Node(nginx, "profiles")));
        var address = Scalar(Mapping(Mapping(nginx, "networks")!, "dandelion")!, "ipv4_address")!;
        Assert.Equal(address, Environment(compose.Service("entrance"))["DANDELION_Entrance__GeoIp__TrustedProxies__0"]);

        // The fixed address is in the network and outside the range docker hands out.
        var ipam = (YamlMappingNode)Sequence(Mapping(Mapping(Mapping(compose.Root, "networks")!, "dandelion")!, "ipam")!, "config")!.Children[0];
        Assert.True(IPNetwork.Parse(Scalar(ipam, "subnet")!).Contains(IPAddress.Parse(address)));
        Assert.False(IPNetwork.Parse(Scalar(ipam, "ip_range")!).Contains(IPAddress.Parse(address)));
        foreach (var (name, service) in compose.AllServices)
            Assert.True(service.Children.ContainsKey(new YamlScalarNode("networks")), $"{name} is not on the dandelion network");

        var conf = File.ReadAllText(Path.Combine(RepositoryPaths.Root, VolumeSource(nginx, "/etc/nginx/conf.d/default.conf")));
        Assert.Contains("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;", conf);
        Assert.Contains("proxy_set_header Upgrade $http_upgrade;", conf);
        Assert.Contains("proxy_set_header Connection $connection_upgrade;", conf);
        Assert.Contains("proxy_http_version 1.1;", conf);
        Assert.Matches(@"proxy_read_timeout \d{4,}s;", conf);
        Assert.Contains($"server entrance:{Environment(compose.Service("entrance"))["ASPNETCORE_HTTP_PORTS"]};", conf);
    }

    [Fact]
    public void The_cluster_profile_runs_three_interchangeable_entrances_on_a_three_master_three_replica_cluster_behind_nginx()
    {
        var compose = Open("docker-compose.yml");
        string Address(YamlMappingNode service) => Scalar(Mapping(Mapping(service, "networks")!, "dandelion")!, "ipv4_address")!;

        var nodes = Enumerable.Range(1, 6).Select(i => compose.Service($"redis-{i}")).ToList();
        foreach (var node in nodes)
        {
            var command = Strings(Node(node, "command"));
            Assert.Equal("yes", command[command.ToList().IndexOf("--cluster-enabled") + 1]);
            Assert.Contains("--appendonly", command);
            VolumeAt(node, "/data");
        }
        var seeds = nodes.Select(n => $"{Address(n)}:6379").ToList();
        Assert.Equal(6, seeds.Distinct().Count());
        Assert.Equal(6, nodes.Select(n => VolumeAt(n, "/data")).Distinct().Count());

        // Made once into three masters with a replica each, from all six.
        var init = string.Join(' ', Strings(Node(compose.Service("redis-cluster-init"), "command")));
        Assert.Contains("--cluster create " + string.Join(' ', seeds) + " --cluster-replicas 1 --cluster-yes", init);

        var nginx = compose.Service("cluster-nginx");
        var conf = File.ReadAllText(Path.Combine(compose.Directory, VolumeSource(nginx, "/etc/nginx/conf.d/default.conf")));
        var upstream = Regex.Match(conf, @"upstream entrance \{[^}]*\}").Value;
        Assert.DoesNotContain("ip_hash", upstream); // no sticky sessions: any entrance serves anyone
        Assert.DoesNotContain("hash ", upstream);
        Assert.Contains("proxy_set_header Upgrade $http_upgrade;", conf);
        var entrances = new[] { "cluster-entrance-1", "cluster-entrance-2", "cluster-entrance-3" };
        // The profile, not the single Redis and entrance: every service it starts is its own, but
        // the GeoIP updaters, and none of the single set-up's depends on one of them.
        var clusterServices = nodes.Append(compose.Service("redis-cluster-init")).Append(nginx).Concat(entrances.Select(compose.Service));
        Assert.All(clusterServices, s => Assert.Equal(["cluster"], Strings(Node(s, "profiles"))));
        Assert.All(new[] { "redis", "entrance" }, s => Assert.Null(Sequence(compose.Service(s), "profiles")));
        foreach (var name in entrances)
        {
            var entrance = compose.Service(name);
            var env = Environment(entrance);
            // The image the single entrance's build section makes (docker compose build entrance).
            Assert.Equal(Scalar(compose.Service("entrance"), "image"), Scalar(entrance, "image"));
            Assert.Equal(string.Join(',', seeds), env["DANDELION_Entrance__Redis"]);
            Assert.Equal(Address(nginx), env["DANDELION_Entrance__GeoIp__TrustedProxies__0"]);
            Assert.Equal("service_completed_successfully", Scalar(Mapping(Mapping(entrance, "depends_on")!, "redis-cluster-init")!, "condition"));
            Assert.Contains($"server {name}:{env["ASPNETCORE_HTTP_PORTS"]};", upstream);
            // Each its own entrance.id; all one grant key, so a grant from one is good at all.
            AssertOnVolume(entrance, env["DANDELION_Entrance__DataDirectory"]);
            Assert.Equal("cluster-grant", VolumeAt(entrance, env["DANDELION_Entrance__Auth__GrantKeyFile"]));
        }
        Assert.Equal(3, entrances.Select(e => VolumeAt(compose.Service(e), Environment(compose.Service(e))["DANDELION_Entrance__DataDirectory"])).Distinct().Count());
    }

    [Fact]
    public void The_box_and_its_nginx_share_the_files_and_the_log_and_the_box_advertises_nginx()
    {
        var compose = Open("deploy/box/docker-compose.yml");
        var box = compose.Service("box");
        var nginx = compose.Service("nginx");
        var env = Environment(box);
        var conf = File.ReadAllText(Path.Combine(compose.Directory, VolumeSource(nginx, "/etc/nginx/conf.d/default.conf")));

        var root = Regex.Match(conf, @"^\s*root\s+(\S+);", RegexOptions.Multiline).Groups[1].Value;
        Assert.Equal(VolumeAt(box, env["DANDELION_Box__StorageDirectory"]), VolumeAt(nginx, root));

        var accessLog = Regex.Match(conf, @"^\s*access_log\s+(/\S+)\s+(\S+);", RegexOptions.Multiline);
        Assert.Contains(accessLog.Groups[2].Value, new[] { "combined", "original" });
        Assert.Equal(Path.GetFileName(accessLog.Groups[1].Value), Path.GetFileName(env["DANDELION_Box__AccessLog"]));
        Assert.Equal(VolumeAt(box, Path.GetDirectoryName(env["DANDELION_Box__AccessLog"])!),
            VolumeAt(nginx, Path.GetDirectoryName(accessLog.Groups[1].Value)!));
        Assert.Equal("false", env["DANDELION_Box__WriteAccessLog"]);
        Assert.Contains("location /.incoming/", conf);
        AssertOnVolume(box, env["DANDELION_Box__DataDirectory"]);

        // Viewers are sent to nginx's published port, publishers to the box's.
        var httpPort = Interpolate("${BOX_HTTP_PORT:-8081}", Samples);
        Assert.Equal($"http://{Samples["BOX_PUBLIC_HOST"]}:{httpPort}/", Interpolate(env["DANDELION_Box__PublicHttpUrl"], Samples));
        Assert.Contains($"{httpPort}:80", Strings(Node(nginx, "ports")).Select(p => Interpolate(p, Samples)));
        Assert.Matches(@"^\s*listen\s+80;", conf.Split('\n').Single(l => l.Contains("listen")));
        Assert.Contains($"{new Box.Node.BoxOptions().Port}:{new Box.Node.BoxOptions().Port}", Strings(Node(box, "ports")));
    }

    [Fact]
    public void The_publisher_listens_where_its_port_is_published_and_reads_the_mounted_directories()
    {
        var compose = Open("deploy/publisher/docker-compose.yml");
        var publisher = compose.Service("publisher");
        var env = Environment(publisher);
        Assert.Contains($"{env["DANDELION_Publisher__Port"]}", Strings(Node(publisher, "ports")).Select(p => Interpolate(p, Samples).Split(':')[1]));
        AssertOnVolume(publisher, env["DANDELION_Publisher__DataDirectory"]);
        VolumeSource(publisher, env["DANDELION_Publisher__PublishDirectories__0"]);
        VolumeSource(publisher, env["DANDELION_Publisher__LiveDirectory"]);
    }

    [Theory]
    // ${NAME:-default} gives the default when unset or empty; ${NAME-default} only when unset.
    [InlineData("${A:-x}", "x")]
    [InlineData("${E:-x}", "x")]
    [InlineData("${E-x}", "")]
    [InlineData("${A-x}", "x")]
    [InlineData("${S:-x}", "set")]
    [InlineData("http://${S}:${P:-8081}/", "http://set:8081/")]
    [InlineData("$$S", "$S")]
    [InlineData("$S", "set")]
    public void Interpolation_follows_compose(string text, string expected)
    {
        Assert.Equal(expected, Interpolate(text, new Dictionary<string, string> { ["S"] = "set", ["E"] = "" }));
    }

    [Fact]
    public void A_missing_required_variable_is_an_error_as_in_compose()
    {
        Assert.Throws<KeyNotFoundException>(() => Interpolate("${R:?set R}", new Dictionary<string, string>()));
        Assert.Throws<KeyNotFoundException>(() => Interpolate("${R:?set R}", new Dictionary<string, string> { ["R"] = "" }));
    }

    private static void AssertOnVolume(YamlMappingNode service, string path) => VolumeAt(service, path);

    /// <summary>The named volume mounted at <paramref name="path"/> or above it.</summary>
    private static string VolumeAt(YamlMappingNode service, string path)
    {
        var mount = Mounts(service).Where(m => path == m.Target || path.StartsWith(m.Target.TrimEnd('/') + "/", StringComparison.Ordinal))
            .OrderByDescending(m => m.Target.Length).FirstOrDefault();
        Assert.True(mount.Source is not null, $"nothing is mounted at {path}");
        Assert.False(mount.Source.StartsWith('.') || mount.Source.StartsWith('/'), $"{path} is a bind mount of {mount.Source}, not a volume");
        return mount.Source;
    }

    /// <summary>The bind-mounted path (relative to the compose file) mounted exactly at <paramref name="target"/>.</summary>
    private static string VolumeSource(YamlMappingNode service, string target)
    {
        var mount = Mounts(service).SingleOrDefault(m => m.Target == target);
        Assert.True(mount.Source is not null, $"nothing is mounted at {target}");
        return mount.Source;
    }

    private static IEnumerable<(string Source, string Target)> Mounts(YamlMappingNode service) =>
        Strings(Node(service, "volumes")).Select(v => v.Split(':')).Select(p => (p[0], p[1]));

    [GeneratedRegex(@"^(?:(?<ip>[0-9.]+):)?(?<host>\d+):(?<container>\d+)(?:/(?:tcp|udp))?$")]
    private static partial Regex PortMapping();

    [GeneratedRegex(@":\d+(?=:|$)")]
    private static partial Regex ListIndex();

    [GeneratedRegex(@"^[a-z0-9.\-/:]+$")]
    private static partial Regex ImageReference();
}
