using Kuryr.Cni.Spec.Errors;
using Kuryr.Cni.Spec.Invocation;

namespace Kuryr.Cni.Spec.Tests.Invocation;

public sealed class CniInvocationTests
{
    private static readonly Dictionary<string, string> Add = new()
    {
        ["CNI_COMMAND"] = "ADD",
        ["CNI_CONTAINERID"] = "4f1c2a",
        ["CNI_NETNS"] = "/var/run/netns/cni-1",
        ["CNI_IFNAME"] = "eth0",
        ["CNI_ARGS"] = "IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-0;K8S_POD_INFRA_CONTAINER_ID=4f1c2a;K8S_POD_UID=0c1d-uid",
        ["CNI_PATH"] = "/opt/cni/bin",
    };

    private static CniInvocation Parse(Dictionary<string, string> env) => CniInvocation.FromEnvironment(k => env.TryGetValue(k, out var v) ? v : null);

    private static Dictionary<string, string> With(string key, string? value)
    {
        var env = new Dictionary<string, string>(Add);
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

    [Fact]
    public void A_kubelet_add_is_read_with_the_pod_from_CNI_ARGS()
    {
        var inv = Parse(Add);
        Assert.Equal(CniCommand.Add, inv.Command);
        Assert.Equal("4f1c2a", inv.ContainerId);
        Assert.Equal("/var/run/netns/cni-1", inv.Netns);
        Assert.Equal("eth0", inv.IfName);
        Assert.Equal("/opt/cni/bin", inv.Path);
        Assert.Equal("default", inv.Args.PodNamespace);
        Assert.Equal("web-0", inv.Args.PodName);
        Assert.Equal("0c1d-uid", inv.Args.PodUid);
        Assert.Equal("4f1c2a", inv.Args.InfraContainerId);
        Assert.True(inv.Args.IgnoreUnknown);
    }

    [Theory]
    [InlineData("CNI_COMMAND", null, "CNI_COMMAND is not set")]
    [InlineData("CNI_COMMAND", "add", "CNI_COMMAND \"add\" is not one of")]
    [InlineData("CNI_COMMAND", "REMOVE", "CNI_COMMAND \"REMOVE\"")]
    [InlineData("CNI_CONTAINERID", null, "CNI_CONTAINERID is not set")]
    [InlineData("CNI_CONTAINERID", "", "CNI_CONTAINERID is not set")]
    [InlineData("CNI_CONTAINERID", "-abc", "CNI_CONTAINERID \"-abc\" is not a valid container id")]
    [InlineData("CNI_CONTAINERID", "a b", "is not a valid container id")]
    [InlineData("CNI_NETNS", null, "CNI_NETNS is not set")]
    [InlineData("CNI_NETNS", "relative/ns", "CNI_NETNS \"relative/ns\" is not an absolute path")]
    [InlineData("CNI_IFNAME", null, "CNI_IFNAME is not set")]
    [InlineData("CNI_IFNAME", "averyveryverylongname", "longer than 15 bytes")]
    [InlineData("CNI_IFNAME", "eth/0", "not a valid interface name")]
    [InlineData("CNI_IFNAME", "..", "not a valid interface name")]
    [InlineData("CNI_IFNAME", "eth 0", "not a valid interface name")]
    [InlineData("CNI_ARGS", "K8S_POD_NAME", "pair 1 \"K8S_POD_NAME\" is not KEY=VALUE")]
    [InlineData("CNI_ARGS", "A=1;=2", "pair 2 \"=2\" is not KEY=VALUE")]
    [InlineData("CNI_ARGS", "A B=1", "contains whitespace")]
    public void Missing_or_malformed_variables_are_error_4_naming_the_variable(string key, string? value, string fragment)
    {
        var error = Assert.Throws<CniException>(() => Parse(With(key, value))).Error;
        Assert.Equal(CniErrorCodes.InvalidEnvironment, error.Code);
        Assert.Contains(fragment, error.Msg, StringComparison.Ordinal);
    }

    [Fact]
    public void Bug_a_non_ascii_interface_name_of_15_characters_but_more_than_15_bytes_was_accepted()
    {
        // Found by the generated corpus: the kernel's IFNAMSIZ limit counts bytes, not characters.
        var error = Assert.Throws<CniException>(() => Parse(With("CNI_IFNAME", "ÜÜÜÜÜÜÜÜ"))).Error;
        Assert.Equal(CniErrorCodes.InvalidEnvironment, error.Code);
        Assert.Contains("CNI_IFNAME", error.Msg, StringComparison.Ordinal);
        Assert.Equal("Ünïcode", Parse(With("CNI_IFNAME", "Ünïcode")).IfName);
    }

    [Fact]
    public void Del_without_a_netns_is_allowed_because_the_netns_may_be_gone()
    {
        var inv = Parse(new Dictionary<string, string> { ["CNI_COMMAND"] = "DEL", ["CNI_CONTAINERID"] = "c", ["CNI_IFNAME"] = "eth0" });
        Assert.Equal(CniCommand.Del, inv.Command);
        Assert.Null(inv.Netns);
    }

    [Theory]
    [InlineData("VERSION", CniCommand.Version)]
    [InlineData("STATUS", CniCommand.Status)]
    [InlineData("GC", CniCommand.Gc)]
    public void Version_status_and_gc_need_no_attachment_variables(string command, CniCommand expected)
    {
        Assert.Equal(expected, Parse(new Dictionary<string, string> { ["CNI_COMMAND"] = command }).Command);
    }

    [Fact]
    public void Cni_args_keep_unknown_keys_empty_pairs_and_values_with_equals()
    {
        var args = CniArgs.Parse("A=1;;B=x=y;C=;");
        Assert.Equal("1", args.Get("A"));
        Assert.Equal("x=y", args.Get("B"));
        Assert.Equal("", args.Get("C"));
        Assert.False(args.IgnoreUnknown);
        Assert.Equal("A=1;B=x=y;C=", args.ToString());
        Assert.True(CniArgs.Parse("IgnoreUnknown=true").IgnoreUnknown);
    }

    [Fact]
    public void Oversized_cni_args_are_refused()
    {
        var error = Assert.Throws<CniException>(() => CniArgs.Parse("A=" + new string('x', CniArgs.MaxLength))).Error;
        Assert.Equal(CniErrorCodes.InvalidEnvironment, error.Code);
        Assert.Contains("CNI_ARGS", error.Msg, StringComparison.Ordinal);
    }
}
