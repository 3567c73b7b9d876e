using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Kuryr.Cni.Agent;
using Kuryr.Cni.Logging;
using Kuryr.Cni.Plugin;
using Kuryr.Cni.Spec.Agent;
using Kuryr.Cni.Spec.Invocation;
using Kuryr.Cni.Teardown;
using Kuryr.Cni.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Kuryr.Cni.Tests.Plugin;

/// <summary>
/// A generated corpus of malformed stdin and environments: random truncations, wrong types for every
/// known key, unknown versions, random bytes, huge input, broken prevResults, missing and malformed
/// CNI_* variables. Each case knows the CNI error code it must produce. The whole corpus runs through
/// the plugin in-process; a sample of it runs through the real kuryr-cni process, which must also
/// exit non-zero with a CNI error JSON on stdout and no stack trace anywhere.
/// </summary>
public sealed class MalformedInputCorpusTests
{
    /// <summary>No agent listens here: a case that wrongly passes validation ends in 11/50, not its code.</summary>
    private static readonly string NoSocket = $"/tmp/kuryr-cni-corpus-{Guid.NewGuid():N}.sock";

    public sealed record CorpusCase(string Kind, Dictionary<string, string> Env, byte[] Stdin, int ExpectedCode)
    {
        public override string ToString() =>
            $"{Kind}: env [{string.Join(' ', Env.Select(kv => kv.Key + "=" + kv.Value))}] stdin ({Stdin.Length} bytes) {Encoding.UTF8.GetString(Stdin.AsSpan(0, Math.Min(Stdin.Length, 300)))} → expected {ExpectedCode}";
    }

    private static readonly string[] Commands = ["ADD", "DEL", "CHECK"];

    private static JsonObject ValidConfig(string version) => new()
    {
        ["cniVersion"] = version,
        ["name"] = "kuryr",
        ["type"] = "kuryr-cni",
        ["socket"] = NoSocket,
        ["kuryr_conf"] = "/etc/kuryr/kuryr.conf",
        ["debug"] = false,
        ["prevResult"] = new JsonObject
        {
            ["cniVersion"] = version,
            ["interfaces"] = new JsonArray(new JsonObject { ["name"] = "eth0", ["mac"] = "fa:16:3e:00:00:01", ["sandbox"] = "/var/run/netns/x" }),
            ["ips"] = new JsonArray(new JsonObject { ["address"] = "10.0.0.5/24", ["gateway"] = "10.0.0.1", ["interface"] = 0 }),
        },
    };

    private static Gen<string> Versions => Gen.Elements("0.3.1", "0.4.0", "1.0.0", "1.1.0");

    private static Gen<Dictionary<string, string>> GoodEnv =>
        from command in Gen.Elements(Commands)
        select CniExec.Env(command);

    /// <summary>JSON values of a type different from what <paramref name="key"/> needs.</summary>
    private static Gen<JsonNode?> WrongTypeFor(string key)
    {
        var candidates = new List<Func<JsonNode?>>
        {
            () => JsonValue.Create(42),
            () => JsonValue.Create(true),
            () => new JsonArray(1, 2),
            () => new JsonObject { ["x"] = 1 },
            () => JsonValue.Create("text"),
            () => JsonValue.Create(1.5),
        };
        var wrong = key switch
        {
            "cniVersion" or "name" or "type" or "socket" or "kuryr_conf" => candidates.Where((_, i) => i != 4),
            "debug" => candidates.Where((_, i) => i != 1),
            "timeout" => candidates.Where((_, i) => i is not 0),
            "prevResult" or "runtimeConfig" => candidates.Where((_, i) => i != 3),
            _ => candidates.Where((_, i) => i != 2),
        };
        return Gen.Elements(wrong.ToArray()).Select(f => f());
    }

    private static Gen<CorpusCase> Truncations =>
        from env in GoodEnv
        from version in Versions
        let bytes = Encoding.UTF8.GetBytes(ValidConfig(version).ToJsonString())
        from cut in Gen.Choose(0, bytes.Length - 1)
        select new CorpusCase("truncated", env, bytes[..cut], 6);

    private static Gen<CorpusCase> WrongTypes =>
        from env in GoodEnv
        from version in Versions
        from key in Gen.Elements("cniVersion", "name", "type", "socket", "kuryr_conf", "debug", "timeout", "prevResult", "runtimeConfig", "cni.dev/valid-attachments")
        from value in WrongTypeFor(key)
        let config = With(ValidConfig(version), key, value)
        select new CorpusCase($"wrong type for {key}", env, Encoding.UTF8.GetBytes(config.ToJsonString()), 6);

    private static Gen<CorpusCase> UnknownVersions =>
        from env in GoodEnv
        from major in Gen.Choose(0, 12)
        from minor in Gen.Choose(0, 12)
        from patch in Gen.Choose(0, 3)
        from suffix in Gen.Elements("", "-rc1", " ", "x")
        let version = $"{major}.{minor}.{patch}{suffix}"
        where !new[] { "0.3.1", "0.4.0", "1.0.0", "1.1.0" }.Contains(version)
        select new CorpusCase("unknown version", env, Encoding.UTF8.GetBytes(With(ValidConfig("1.0.0"), "cniVersion", version).ToJsonString()), 1);

    private static Gen<CorpusCase> RandomBytes =>
        from env in GoodEnv
        from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b)).Select(a => a.Where(b => b != (byte)'{').ToArray())
        select new CorpusCase("random bytes", env, bytes, 6);

    private static Gen<CorpusCase> BrokenPrevResults =>
        from version in Gen.Elements("0.4.0", "1.0.0", "1.1.0")
        from mutation in Gen.Elements<(string Path, JsonNode? Value)>(
            ("address", JsonValue.Create("10.0.0.5")),
            ("address", JsonValue.Create("300.0.0.1/24")),
            ("address", JsonValue.Create(5)),
            ("gateway", JsonValue.Create("gw")),
            ("interface", JsonValue.Create(9)),
            ("interface", JsonValue.Create("0")))
        let config = ValidConfig(version)
        let _ = config["prevResult"]!["ips"]![0]!.AsObject()[mutation.Path] = mutation.Value
        select new CorpusCase($"prevResult ips[0].{mutation.Path}", CniExec.Env("CHECK"), Encoding.UTF8.GetBytes(config.ToJsonString()), 6);

    /// <summary>Values that are invalid for each variable (libcni's rules; e.g. "a;b" is a valid interface name).</summary>
    private static readonly Dictionary<string, string[]> Garbage = new()
    {
        ["CNI_COMMAND"] = ["add", "bad value", "VERSIONS", "DELETE", "ÄDD", "STATUS;"],
        ["CNI_CONTAINERID"] = ["bad value", "/", "..", "-x", "Ünïcode", "a;b", "x/y"],
        ["CNI_IFNAME"] = ["bad value", "/", "..", ".", "eth:0", "ÜÜÜÜÜÜÜÜ", "x" + new string('y', 20), "tab\tname"],
        ["CNI_NETNS"] = ["relative", "bad value", "..", "a;b", "netns/x"],
        ["CNI_ARGS"] = ["K8S_POD_NAME", "a;b", "A B=1", "=x", "x=1;;noeq", "K8S_POD_NAMESPACE=ns;K8S_POD_NAME"],
    };

    private static Gen<CorpusCase> BadEnvironments =>
        from command in Gen.Elements(Commands)
        from variable in Gen.Elements(Garbage.Keys.ToArray())
        from missing in Gen.Elements(true, false)
        where !(missing && (variable == "CNI_ARGS" || (variable == "CNI_NETNS" && command == "DEL")))
        from garbage in Gen.Elements(Garbage[variable])
        let env = Mutate(CniExec.Env(command), variable, missing ? null : garbage)
        select new CorpusCase($"{variable} {(missing ? "missing" : "garbage")}", env, Encoding.UTF8.GetBytes(ValidConfig("1.0.0").ToJsonString()), 4);

    private static Gen<CorpusCase> Huge =>
        from env in GoodEnv
        from extra in Gen.Choose(1, 4096)
        select new CorpusCase("huge", env, HugeConfig(extra), 6);

    private static byte[] HugeConfig(int extra)
    {
        var config = ValidConfig("1.0.0");
        config["pad"] = new string('p', 1024 * 1024 + extra);
        return Encoding.UTF8.GetBytes(config.ToJsonString());
    }

    internal static Gen<CorpusCase> Corpus => Gen.Frequency(
        (4, Truncations), (4, WrongTypes), (2, UnknownVersions), (2, RandomBytes), (2, BrokenPrevResults), (4, BadEnvironments), (1, Huge));

    private static JsonObject With(JsonObject config, string key, JsonNode? value)
    {
        config[key] = value;
        return config;
    }

    private static Dictionary<string, string> Mutate(Dictionary<string, string> env, string key, string? value)
    {
        if (value is null)
        {
            env.Remove(key);
        }
        else
        {
            env[key] = value;
        }

        return env;
    }

    private static void AssertCniError(CorpusCase c, int exitCode, string stdout, string stderr)
    {
        Assert.True(exitCode != 0, $"{c}\nexit 0, stdout {stdout}");
        JsonObject json;
        try
        {
            json = JsonNode.Parse(stdout)!.AsObject();
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or NullReferenceException)
        {
            throw new Xunit.Sdk.XunitException($"{c}\nstdout is not a CNI error JSON: {stdout}");
        }

        Assert.True(json["code"]?.GetValue<int>() == c.ExpectedCode, $"{c}\ngot {stdout}");
        Assert.False(string.IsNullOrWhiteSpace(json["msg"]?.GetValue<string>()), $"{c}\nno msg: {stdout}");
        Assert.NotNull(json["cniVersion"]);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
    }

    private sealed class NoAgent : IAgentClient
    {
        public Task<AgentResponse> SendAsync(CniCommand command, AgentRequest request, CancellationToken cancellationToken) =>
            throw new AgentUnreachableException(NoSocket, "cannot connect (test)", timedOut: false, null);
    }

    [Fact]
    public void The_generated_corpus_in_process_always_gives_the_expected_cni_error()
    {
        Check.One(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(1500), Prop.ForAll(Corpus.ToArbitrary(), c =>
        {
            using var stderr = new StringWriter();
            var plugin = new CniPlugin(new StderrLogger(stderr, LogLevel.Debug, TimeProvider.System), (_, _) => new NoAgent(), new NetlinkLocalTeardown());
            using var stdout = new MemoryStream();
            var exit = plugin.RunAsync(k => c.Env.TryGetValue(k, out var v) ? v : null, new MemoryStream(c.Stdin), stdout, CancellationToken.None).GetAwaiter().GetResult();
            AssertCniError(c, exit, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
        }));
    }

    [Fact]
    public async Task A_sample_of_the_corpus_through_the_real_process_gives_the_expected_cni_error()
    {
        // Every generator at least a few times, as separate kuryr-cni processes.
        var cases = Gen.Sample(Corpus, 60).ToList();
        cases.Add(new CorpusCase("huge", CniExec.Env("ADD"), HugeConfig(1), 6));
        foreach (var batch in cases.Chunk(8))
        {
            var outcomes = await Task.WhenAll(batch.Select(async c => (c, await CniExec.RunAsync(CniExec.KuryrCni, c.Env, c.Stdin))));
            foreach (var (c, o) in outcomes)
            {
                AssertCniError(c, o.ExitCode, o.Stdout, o.Stderr);
            }
        }
    }
}
