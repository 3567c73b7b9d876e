using FsCheck;
using FsCheck.Fluent;
using Kuryr.Controller.MultiVif.Common;
using Kuryr.Controller.MultiVif.Npwg;

namespace Kuryr.Controller.Tests.MultiVif.Common;

public sealed class IdListParserTests
{
    private const string A = "0b8e1a9e-4c55-4f3a-9a43-3a1f7f2a0a01";
    private const string B = "1c9f2b0f-5d66-4a4b-8b54-4b2a8a3b1b12";

    [Fact]
    public void Reads_ids_and_refuses_non_strings_non_uuids_and_duplicates_one_by_one()
    {
        var entries = IdListParser.Parse("a", $"[\"{A}\", 7, \"not-an-id\", \"{A.ToUpperInvariant()}\", \"{B}\"]", "subnet");

        Assert.Equal([A, null, null, null, B], entries.Select(e => e.Value));
        Assert.Contains("is a JSON number", entries[1].Problem, StringComparison.Ordinal);
        Assert.Contains("\"not-an-id\" is not a Neutron subnet id", entries[2].Problem, StringComparison.Ordinal);
        Assert.Contains("listed twice", entries[3].Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"a\":1}")]
    [InlineData("\"" + A + "\"")]
    public void Not_a_json_list_throws_naming_the_annotation(string value)
    {
        var e = Assert.Throws<MultiVifAnnotationException>(() => IdListParser.Parse("openstack.org/kuryr-additional-subnets", value, "subnet"));

        Assert.Equal("openstack.org/kuryr-additional-subnets", e.Annotation);
        Assert.StartsWith("annotation openstack.org/kuryr-additional-subnets: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Any_string_parses_or_throws_only_the_annotation_format_exception()
    {
        var chars = Gen.Elements("[]{}\",:0a-f 9\\ux".ToCharArray());
        var text = Gen.ArrayOf(chars).Select(cs => new string(cs));
        Check.One(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(2000), Prop.ForAll(text.ToArbitrary(), s =>
        {
            try
            {
                return IdListParser.Parse("x", s, "port").All(e => (e.Value is null) != (e.Problem is null));
            }
            catch (MultiVifAnnotationException)
            {
                return true;
            }
        }));
    }
}

public sealed class NadKuryrConfigTests
{
    [Fact]
    public void Reads_subnet_and_driver_type_both_optional()
    {
        Assert.Equal(new NadKuryrConfig("0b8e1a9e-4c55-4f3a-9a43-3a1f7f2a0a01", "neutron-vif"),
            NadKuryrConfig.Parse("""{"subnetId":"0b8e1a9e-4c55-4f3a-9a43-3a1f7f2a0a01","driverType":"neutron-vif","other":1}"""));
        Assert.Equal(new NadKuryrConfig(null, null), NadKuryrConfig.Parse("{}"));
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("{", "is not valid JSON")]
    [InlineData("[]", "expected an object")]
    [InlineData("""{"subnetId":"abc"}""", "\"subnetId\" \"abc\" is not a Neutron subnet id")]
    [InlineData("""{"subnetId":3}""", "\"subnetId\" is a JSON number")]
    [InlineData("""{"driverType":"magic"}""", "\"driverType\" \"magic\" is unknown")]
    public void Bad_config_throws_naming_the_key_and_problem(string value, string problem)
    {
        var e = Assert.Throws<MultiVifAnnotationException>(() => NadKuryrConfig.Parse(value));

        Assert.Equal("openstack.org/kuryr-config", e.Annotation);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("eth1", null)]
    [InlineData("a.b-c_1", null)]
    [InlineData("0123456789abcdef", "longer than 15 bytes")]
    [InlineData("a b", "contains ' '")]
    [InlineData("a\u0001", "contains '\\u0001'")]
    [InlineData(".", "not allowed")]
    public void Interface_names_follow_the_kernel_rules(string name, string? problem)
    {
        var actual = AnnotationText.InterfaceNameProblem(name);

        if (problem is null)
        {
            Assert.Null(actual);
        }
        else
        {
            Assert.Contains(problem, actual, StringComparison.Ordinal);
        }
    }
}
