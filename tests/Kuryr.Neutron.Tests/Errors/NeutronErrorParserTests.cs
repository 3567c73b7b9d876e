using System.Text;
using Kuryr.Neutron.Errors;

namespace Kuryr.Neutron.Tests.Errors;

public class NeutronErrorParserTests
{
    private static NeutronException Map(int status, string body, string? requestId = "req-1") =>
        NeutronErrorParser.ToException("op", status, Encoding.UTF8.GetBytes(body), requestId);

    [Fact]
    public void Neutron_error_body_gives_type_message_and_detail()
    {
        var e = Map(404, """{"NeutronError": {"type": "PortNotFound", "message": "Port abc could not be found.", "detail": ""}}""");

        var nf = Assert.IsType<NeutronNotFoundException>(e);
        Assert.Equal("PortNotFound", nf.ErrorType);
        Assert.Equal("Port abc could not be found.", nf.NeutronMessage);
        Assert.Equal(404, nf.StatusCode);
        Assert.Equal("req-1", nf.RequestId);
        Assert.Equal("op", nf.Operation);
        Assert.Contains("PortNotFound", nf.Message);
        Assert.Contains("req-1", nf.Message);
    }

    [Fact]
    public void Detail_is_appended_to_the_message()
    {
        var e = Map(400, """{"NeutronError": {"type": "HTTPBadRequest", "message": "Invalid input", "detail": "fixed_ips must be a list"}}""");

        Assert.IsType<NeutronBadRequestException>(e);
        Assert.Equal("Invalid input (fixed_ips must be a list)", e.NeutronMessage);
    }

    [Theory]
    [InlineData(409, "OverQuota", typeof(NeutronOverQuotaException))]
    [InlineData(409, "IpAddressGenerationFailure", typeof(NeutronIpAddressGenerationFailureException))]
    [InlineData(409, "DuplicateSubPort", typeof(NeutronConflictException))]
    [InlineData(409, "PortInUse", typeof(NeutronConflictException))]
    [InlineData(400, "BadRequest", typeof(NeutronBadRequestException))]
    [InlineData(401, null, typeof(NeutronUnauthorizedException))]
    [InlineData(403, "PolicyNotAuthorized", typeof(NeutronForbiddenException))]
    [InlineData(412, "RevisionNumberConstraintFailed", typeof(NeutronPreconditionFailedException))]
    [InlineData(500, null, typeof(NeutronServerException))]
    [InlineData(503, null, typeof(NeutronServerException))]
    [InlineData(418, null, typeof(NeutronException))]
    public void Status_and_type_select_the_exception_class(int status, string? type, Type expected)
    {
        var body = type is null ? "" : $$$"""{"NeutronError": {"type": "{{{type}}}", "message": "m", "detail": ""}}""";

        var e = Map(status, body);

        Assert.Equal(expected, e.GetType());
        Assert.Equal(status, e.StatusCode);
        Assert.Equal(type, e.ErrorType);
    }

    [Fact]
    public void Over_quota_and_ip_exhaustion_are_conflicts()
    {
        Assert.IsAssignableFrom<NeutronConflictException>(Map(409, """{"NeutronError": {"type": "OverQuota", "message": "Quota exceeded for resources: ['port'].", "detail": ""}}"""));
        Assert.IsAssignableFrom<NeutronConflictException>(Map(409, """{"NeutronError": {"type": "IpAddressGenerationFailure", "message": "No more IP addresses", "detail": ""}}"""));
    }

    [Fact]
    public void Keystonemiddleware_error_shape_is_understood()
    {
        var e = Map(401, """{"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}""");

        Assert.IsType<NeutronUnauthorizedException>(e);
        Assert.Equal("Unauthorized", e.ErrorType);
        Assert.Equal("The request you have made requires authentication.", e.NeutronMessage);
    }

    [Fact]
    public void Webob_style_envelope_uses_its_name_as_type()
    {
        var e = Map(400, """{"badRequest": {"message": "Malformed request body", "code": 400}}""");

        Assert.Equal("badRequest", e.ErrorType);
        Assert.Equal("Malformed request body", e.NeutronMessage);
    }

    [Fact]
    public void Plain_text_body_becomes_the_message()
    {
        var e = Map(502, "Bad Gateway: upstream neutron-server went away\n");

        Assert.IsType<NeutronServerException>(e);
        Assert.Null(e.ErrorType);
        Assert.Equal("Bad Gateway: upstream neutron-server went away", e.NeutronMessage);
    }

    [Fact]
    public void Long_html_body_is_truncated()
    {
        var html = "<html><body>" + new string('x', 5000) + "</body></html>";

        var e = Map(503, html);

        Assert.True(e.NeutronMessage.Length <= NeutronErrorParser.MaxTextLength + 1, $"length {e.NeutronMessage.Length}");
        Assert.StartsWith("<html>", e.NeutronMessage);
    }

    [Fact]
    public void Empty_body_gives_the_status_reason()
    {
        var e = Map(503, "", requestId: null);

        Assert.Equal("Service Unavailable", e.NeutronMessage);
        Assert.Null(e.RequestId);
    }

    [Fact]
    public void Malformed_json_falls_back_to_text()
    {
        var e = Map(500, """{"NeutronError": {"type": "Trunc""");

        Assert.Equal("""{"NeutronError": {"type": "Trunc""", e.NeutronMessage);
    }

    [Fact]
    public void Old_string_form_of_NeutronError_is_understood()
    {
        var e = Map(404, """{"NeutronError": "Network x could not be found"}""");

        Assert.Equal("Network x could not be found", e.NeutronMessage);
        Assert.Null(e.ErrorType);
    }
}
