using Kuryr.Config.Options;
using Kuryr.Neutron.Transport;
using Microsoft.Extensions.Options;

namespace Kuryr.Neutron.Tests.Transport;

public class NeutronOptionsValidatorTests
{
    private static string Failures(Action<NeutronOptions> configure)
    {
        var o = new NeutronOptions();
        configure(o);
        var r = new NeutronOptionsValidator().Validate(null, o);
        return r.Failed ? r.FailureMessage : "";
    }

    [Fact]
    public void Valid_password_options_pass()
    {
        Assert.Equal("", Failures(o =>
        {
            o.AuthUrl = "http://k:5000/v3";
            o.Username = "u";
            o.UserDomainName = "Default";
            o.Password = "p";
            o.ProjectName = "p";
            o.ProjectDomainId = "default";
        }));
    }

    [Fact]
    public void Password_without_fields_names_each_missing_option()
    {
        var f = Failures(o => o.AuthType = "v3password");

        Assert.Contains("auth_url", f);
        Assert.Contains("username or user_id", f);
        Assert.Contains("password is required", f);
        Assert.Contains("project_name or project_id", f);
    }

    [Fact]
    public void Username_without_domain_is_named()
    {
        var f = Failures(o =>
        {
            o.AuthUrl = "http://k:5000/v3";
            o.Username = "u";
            o.Password = "p";
            o.ProjectId = "pid";
        });

        Assert.Contains("user_domain_name or user_domain_id", f);
        Assert.DoesNotContain("project", f);
    }

    [Fact]
    public void Noauth_needs_endpoint_override_and_project_id()
    {
        var f = Failures(o => o.AuthType = "noauth");

        Assert.Contains("endpoint_override is required", f);
        Assert.Contains("project_id is required", f);
    }

    [Fact]
    public void Application_credential_needs_secret_and_id_or_name_with_user()
    {
        Assert.Contains("application_credential_secret", Failures(o =>
        {
            o.AuthType = "v3applicationcredential";
            o.AuthUrl = "http://k:5000";
            o.ApplicationCredentialId = "id";
        }));
        Assert.Contains("user_id or username", Failures(o =>
        {
            o.AuthType = "v3applicationcredential";
            o.AuthUrl = "http://k:5000";
            o.ApplicationCredentialName = "n";
            o.ApplicationCredentialSecret = "s";
        }));
    }

    [Theory]
    [InlineData("timeout")]
    [InlineData("bulk_create_concurrency")]
    [InlineData("requests_per_second")]
    [InlineData("max_retries")]
    [InlineData("token_refresh_margin")]
    [InlineData("auth_type")]
    [InlineData("endpoint_override")]
    public void Out_of_range_values_are_named(string option)
    {
        var f = Failures(o =>
        {
            o.AuthType = "noauth";
            o.EndpointOverride = "http://n:9696";
            o.ProjectId = "p";
            switch (option)
            {
                case "timeout": o.Timeout = 0; break;
                case "bulk_create_concurrency": o.BulkCreateConcurrency = 0; break;
                case "requests_per_second": o.RequestsPerSecond = -1; break;
                case "max_retries": o.MaxRetries = -1; break;
                case "token_refresh_margin": o.TokenRefreshMargin = double.NaN; break;
                case "auth_type": o.AuthType = "kerberos"; break;
                case "endpoint_override": o.EndpointOverride = "n:9696"; break;
            }
        });

        Assert.Contains($"[neutron] {option}", f);
    }

    [Fact]
    public void Resolving_the_transport_with_bad_options_fails_naming_the_option()
    {
        using var h = new TransportHarness(o =>
        {
            o.AuthType = "noauth";
            o.ProjectId = "p";
        });

        var e = Assert.Throws<OptionsValidationException>(() => h.Transport);
        Assert.Contains("endpoint_override", e.Message);
    }
}
