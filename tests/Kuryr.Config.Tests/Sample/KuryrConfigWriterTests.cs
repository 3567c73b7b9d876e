using FsCheck;
using FsCheck.Fluent;
using Kuryr.Config.Binding;
using Kuryr.Config.Options;
using Kuryr.Config.Sample;
using Kuryr.Config.Tests.Support;

namespace Kuryr.Config.Tests.Sample;

public sealed class KuryrConfigWriterTests
{
    /// <summary>Set to 1 to rewrite etc/kuryr.conf.sample instead of comparing with it.</summary>
    private const string RegenerateVariable = "KURYR_REGENERATE_SAMPLE";

    [Fact]
    public void The_checked_in_sample_is_up_to_date()
    {
        var path = Path.Combine(RepoRoot(), "etc", "kuryr.conf.sample");
        var expected = KuryrConfigWriter.WriteSample();
        if (System.Environment.GetEnvironmentVariable(RegenerateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, expected);
        }

        Assert.True(File.Exists(path), $"{path} is missing: run the tests with {RegenerateVariable}=1 to write it.");
        Assert.True(expected == File.ReadAllText(path),
            $"{path} is out of date with the options classes: run `{RegenerateVariable}=1 dotnet test tests/Kuryr.Config.Tests` and commit it.");
    }

    [Fact]
    public void The_sample_shows_every_option_with_its_default_and_loads_to_the_defaults()
    {
        var sample = KuryrConfigWriter.WriteSample();

        foreach (var section in KuryrOptionsCatalog.Sections)
        {
            Assert.Contains($"\n[{section.Name}]\n", sample, StringComparison.Ordinal);
            foreach (var option in section.Options)
            {
                var value = option.FormatDefault();
                var shown = value is null ? " = <None>" : value.Length == 0 ? " =" : " = " + KuryrConfigWriter.FormatIniValue(value);
                Assert.Contains($"\n#{option.Name}{shown}\n", sample, StringComparison.Ordinal);
            }
        }

        Assert.Contains("#ports_pool_min = 5\n", sample, StringComparison.Ordinal);
        Assert.Contains("# Deprecated name: worker_nodes_subnet\n", sample, StringComparison.Ordinal);
        Assert.Contains("#vif_pool_mapping =\n", sample, StringComparison.Ordinal);
        Assert.DoesNotContain(" \n", sample, StringComparison.Ordinal);
        Assert.All(sample.Split('\n'), line => Assert.True(line.Length <= 79 || !line.StartsWith("# ", StringComparison.Ordinal), line));

        var config = Conf.Load(sample);
        Assert.Empty(config.Warnings);
        AssertSameValues(Conf.Load(string.Empty), config);
    }

    [Fact]
    public void Uncommenting_the_sample_gives_the_defaults()
    {
        var uncommented = string.Join('\n', KuryrConfigWriter.WriteSample().Split('\n')
            .Where(l => !l.EndsWith("= <None>", StringComparison.Ordinal))
            .Select(l => l.Length > 1 && l[0] == '#' && l[1] != ' ' ? l[1..] : l));

        AssertSameValues(Conf.Load(string.Empty), Conf.Load(uncommented));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData(" lead", "\" lead\"")]
    [InlineData("trail ", "\"trail \"")]
    [InlineData("\"q\"", "\"\"q\"\"")]
    [InlineData("'", "\"'\"")]
    [InlineData("\"open", "\"open")]
    [InlineData("", "")]
    public void Values_are_quoted_only_when_oslo_would_change_them(string value, string written) =>
        Assert.Equal(written, KuryrConfigWriter.FormatIniValue(value));

    [Fact]
    public void Values_ini_cannot_hold_are_refused()
    {
        Assert.Throws<ArgumentException>(() => KuryrConfigWriter.FormatIniValue("a\nb"));
        Assert.Throws<ArgumentException>(() => KuryrConfigWriter.Write([new RedisOptions { Endpoints = ["a:1", " b:2"] }]));
        Assert.Throws<ArgumentException>(() => KuryrConfigWriter.Write([new NeutronDefaultsOptions { ResourceTags = ["a", ""] }]));
        Assert.Throws<ArgumentException>(() => KuryrConfigWriter.Write([new VifPoolOptions { VifPoolMapping = new Dictionary<string, string> { ["a:b"] = "c" } }]));
    }

    [Fact]
    public void Secrets_can_be_masked()
    {
        var text = KuryrConfigWriter.Write([new RedisOptions { Password = "hunter2" }], maskSecrets: true);

        Assert.Contains("password = ***\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_then_read_round_trips_arbitrary_valid_values()
    {
        var printable = Gen.Elements(" abcXYZ019_-.=:#;\"'[]\\/é\t".ToCharArray());
        var anyString = Gen.ArrayOf(printable).Select(cs => new string(cs));
        var token = Gen.NonEmptyListOf(Gen.Elements("abcdefxyz0123456789-_.".ToCharArray())).Select(cs => new string([.. cs]));
        var tag = token.Where(t => t.Length <= 60);
        var port = Gen.Choose(1, 65535);

        var sections =
            from min in Gen.Choose(0, 50)
            from batch in Gen.Choose(1, 50)
            from maxOffset in Gen.Choose(-1, 50)
            from frequency in Gen.Choose(1, 3600)
            from project in anyString
            from tags in Gen.ListOf(tag)
            from mtu in Gen.Elements(0, 68, 1400, 1500, 9000)
            from prefix in token
            from endpoints in Gen.NonEmptyListOf(port.Select(p => "10.0.0.1:" + p))
            from password in anyString
            from debug in Gen.Elements(true, false)
            from caching in Gen.Elements(true, false)
            from requestsPerSecond in Gen.Choose(0, 1000).Select(i => i / 8.0)
            select new object[]
            {
                new DefaultOptions { Debug = debug },
                new VifPoolOptions
                {
                    PortsPoolMin = min,
                    PortsPoolBatch = batch,
                    PortsPoolMax = maxOffset < 0 ? 0 : min + batch + maxOffset,
                    PortsPoolUpdateFrequencySeconds = frequency,
                    VifPoolMapping = new Dictionary<string, string> { ["neutron-vif"] = "neutron", ["nested-vlan"] = "nested" },
                },
                new NeutronOptions { RequestsPerSecond = requestsPerSecond, ProjectId = project.Length == 0 ? null : project },
                new NeutronDefaultsOptions { Project = project.Length == 0 ? null : project, ResourceTags = tags, NetworkDeviceMtu = mtu },
                new SubnetCachingOptions { Caching = caching },
                new RedisOptions { KeyPrefix = prefix, Endpoints = endpoints, Password = password.Length == 0 ? null : password },
            };

        Check.One(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(200), Prop.ForAll(sections.ToArbitrary(), written =>
        {
            var config = Conf.Load(KuryrConfigWriter.Write(written));
            foreach (var section in written)
            {
                AssertSameValues(section, config.Get(section.GetType()));
            }
        }));
    }

    [Fact]
    public void Loading_arbitrary_text_only_ever_fails_with_the_config_exception()
    {
        var words = Gen.Elements("[vif_pool]", "[kubernetes]", "[neutron]", "[redis]", "[DEFAULT]", "[x]", "ports_pool_min", "ports_pool_max",
            "pod_vif_driver", "multi_vif_drivers", "vif_pool_mapping", "endpoints", "timeout", "debug", "=", ":", ",", "-1", "5", "1e9",
            "nested-vlan:nested", "neutron-vif", "true", "\"", "#", " ", "\n", "\n  ", "\r\n");
        var texts = Gen.ArrayOf(words).Select(ws => string.Concat(ws)).ToArbitrary();

        Check.One(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(texts, text =>
        {
            try
            {
                Conf.Load(text);
            }
            catch (KuryrConfigException ex)
            {
                Assert.NotEmpty(ex.Problems);
            }
        }));
    }

    private static void AssertSameValues(object expected, object actual)
    {
        if (expected is KuryrConfig e && actual is KuryrConfig a)
        {
            foreach (var s in KuryrOptionsCatalog.Sections)
            {
                AssertSameValues(e.Get(s.OptionsType), a.Get(s.OptionsType));
            }

            return;
        }

        var section = KuryrOptionsCatalog.ForType(expected.GetType());
        foreach (var option in section.Options)
        {
            var x = option.Property.GetValue(expected);
            var y = option.Property.GetValue(actual);
            switch (x)
            {
                case IDictionary<string, string> dx:
                    Assert.Equal(dx.OrderBy(kv => kv.Key, StringComparer.Ordinal), ((IDictionary<string, string>)y!).OrderBy(kv => kv.Key, StringComparer.Ordinal));
                    break;
                case IList<string> lx:
                    Assert.Equal(lx, (IList<string>)y!);
                    break;
                default:
                    Assert.True(Equals(x, y), $"{option}: wrote {x ?? "null"}, read {y ?? "null"}");
                    break;
            }
        }
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Kuryr.Node.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Kuryr.Node.sln not found above " + AppContext.BaseDirectory);
    }
}
