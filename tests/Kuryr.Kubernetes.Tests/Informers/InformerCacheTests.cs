using Kuryr.Kubernetes.Informers;
using Kuryr.Kubernetes.Models;

namespace Kuryr.Kubernetes.Tests.Informers;

public class InformerCacheTests
{
    internal static KuryrPort Port(string ns, string name, string? node, string rv = "1") => new()
    {
        Metadata = new ObjectMeta
        {
            Namespace = ns,
            Name = name,
            ResourceVersion = rv,
            Labels = node is null ? null : new() { [InformerIndexers.KuryrNodeName] = node },
        },
        Spec = new KuryrPortSpec { PodUid = name, PodNodeName = node },
    };

    private static InformerCache<KuryrPort> NewCache() =>
        new(new Dictionary<string, Func<KuryrPort, IEnumerable<string>>> { [InformerIndexers.KuryrNodeName] = InformerIndexers.ByKuryrNodeName<KuryrPort>() });

    [Fact]
    public void Objects_are_found_by_key_namespace_and_node_label()
    {
        var cache = NewCache();
        cache.Upsert("a/p1", Port("a", "p1", "n1"));
        cache.Upsert("a/p2", Port("a", "p2", "n2"));
        cache.Upsert("b/p3", Port("b", "p3", "n1"));
        cache.Upsert("b/p4", Port("b", "p4", null));

        Assert.Equal(4, cache.Count);
        Assert.Equal("p2", cache.GetByKey("a/p2")!.Metadata.Name);
        Assert.Equal("p3", cache.GetByName("b", "p3")!.Metadata.Name);
        Assert.Null(cache.GetByKey("a/p9"));
        Assert.Equal(["p1", "p2"], cache.ByIndex(InformerIndexers.Namespace, "a").Select(p => p.Metadata.Name).Order());
        Assert.Equal(["p1", "p3"], cache.ByIndex(InformerIndexers.KuryrNodeName, "n1").Select(p => p.Metadata.Name).Order());
        Assert.Equal(["n1", "n2"], cache.IndexValues(InformerIndexers.KuryrNodeName).Order());
        Assert.Empty(cache.ByIndex(InformerIndexers.KuryrNodeName, "n9"));
    }

    [Fact]
    public void An_update_moves_the_object_between_index_values_and_a_removal_drops_it()
    {
        var cache = NewCache();
        cache.Upsert("a/p1", Port("a", "p1", "n1"));
        var old = cache.Upsert("a/p1", Port("a", "p1", "n2", "2"));
        Assert.Equal("1", old!.Metadata.ResourceVersion);
        Assert.Empty(cache.ByIndex(InformerIndexers.KuryrNodeName, "n1"));
        Assert.DoesNotContain("n1", cache.IndexValues(InformerIndexers.KuryrNodeName));
        Assert.Single(cache.ByIndex(InformerIndexers.KuryrNodeName, "n2"));

        Assert.NotNull(cache.Remove("a/p1"));
        Assert.Null(cache.Remove("a/p1"));
        Assert.Empty(cache.ByIndex(InformerIndexers.KuryrNodeName, "n2"));
        Assert.Empty(cache.ByIndex(InformerIndexers.Namespace, "a"));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Unknown_or_duplicate_index_names_are_refused_by_name()
    {
        var cache = NewCache();
        var ex = Assert.Throws<ArgumentException>(() => cache.ByIndex("nope", "x"));
        Assert.Contains("'nope'", ex.Message, StringComparison.Ordinal);

        ex = Assert.Throws<ArgumentException>(() => new InformerCache<KuryrPort>(new Dictionary<string, Func<KuryrPort, IEnumerable<string>>> { [InformerIndexers.Namespace] = _ => [] }));
        Assert.Contains("'namespace'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("name", null, "name")]
    [InlineData("ns/name", "ns", "name")]
    public void Keys_split_into_namespace_and_name(string key, string? ns, string name) =>
        Assert.Equal((ns, name), ObjectKeys.Split(key));

    [Theory]
    [InlineData("a/b/c")]
    [InlineData("/b")]
    [InlineData("a/")]
    public void Malformed_keys_are_refused(string key) =>
        Assert.Contains(key, Assert.Throws<FormatException>(() => ObjectKeys.Split(key)).Message, StringComparison.Ordinal);

    [Fact]
    public void An_object_without_a_name_has_no_key()
    {
        var ex = Assert.Throws<ArgumentException>(() => ObjectKeys.For(new KuryrPort()));
        Assert.Contains("metadata.name", ex.Message, StringComparison.Ordinal);
    }
}
