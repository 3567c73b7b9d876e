using System.Net;
using Kuryr.Kubernetes.Client;
using Kuryr.Kubernetes.Models;

namespace Kuryr.Kubernetes.Tests.Client;

public sealed class KubernetesApiExceptionTests
{
    [Theory]
    [InlineData(404, "NotFound", KubernetesErrorKind.NotFound)]
    [InlineData(409, "Conflict", KubernetesErrorKind.Conflict)]
    [InlineData(409, "AlreadyExists", KubernetesErrorKind.AlreadyExists)]
    [InlineData(410, "Expired", KubernetesErrorKind.Gone)]
    [InlineData(410, "Gone", KubernetesErrorKind.Gone)]
    [InlineData(422, "Invalid", KubernetesErrorKind.Invalid)]
    [InlineData(403, "Forbidden", KubernetesErrorKind.Forbidden)]
    [InlineData(401, "Unauthorized", KubernetesErrorKind.Unauthorized)]
    [InlineData(409, null, KubernetesErrorKind.Conflict)]
    [InlineData(503, null, KubernetesErrorKind.ServerError)]
    [InlineData(418, null, KubernetesErrorKind.Other)]
    public void Classifies_reason_first_then_code(int code, string? reason, KubernetesErrorKind expected) =>
        Assert.Equal(expected, KubernetesApiException.Classify((HttpStatusCode)code, reason));

    [Fact]
    public void Message_carries_operation_code_reason_and_api_message()
    {
        var e = new KubernetesApiException("PUT /api/v1/namespaces/a/pods/b", HttpStatusCode.Conflict,
            new ApiStatus { Reason = "Conflict", Code = 409, Message = "the object has been modified" });
        Assert.Equal("Kubernetes PUT /api/v1/namespaces/a/pods/b failed: 409 Conflict: the object has been modified", e.Message);
        Assert.True(e.IsConflict);
        Assert.False(e.IsAlreadyExists);
        Assert.Equal("Conflict", e.Reason);
    }
}
