using System.Text.Json.Nodes;
using Kuryr.Kubernetes.Crds;

namespace Kuryr.Kubernetes.Tests.Crds;

public class JsonSubsetTests
{
    [Theory]
    [InlineData("""{"a":1,"b":{"c":"x","d":true},"e":[{"f":1,"g":2}]}""", """{"a":1,"b":{"c":"x"},"e":[{"f":1}]}""", true, null)]
    [InlineData("""{"a":1}""", """{"a":2}""", false, ".a")]
    [InlineData("""{"b":{"c":"x"}}""", """{"b":{"c":"y"}}""", false, ".b.c")]
    [InlineData("""{"e":[1,2]}""", """{"e":[1]}""", false, ".e")]
    [InlineData("""{"e":[{"f":1}]}""", """{"e":[{"f":2}]}""", false, ".e[0].f")]
    [InlineData("""{}""", """{"a":{"b":1}}""", false, ".a")]
    public void Desired_fields_must_all_be_in_the_actual_object(string actual, string desired, bool contains, string? difference)
    {
        Assert.Equal(contains, JsonSubset.Contains(JsonNode.Parse(actual), JsonNode.Parse(desired), out var diff));
        Assert.Equal(difference, diff);
    }
}
