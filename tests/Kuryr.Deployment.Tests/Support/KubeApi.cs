using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Kuryr.Testing.TestBed;

namespace Kuryr.Deployment.Tests.Support;

/// <summary>The answer of the API server to one request.</summary>
public sealed record ApiAnswer(HttpStatusCode Status, string Body)
{
    public bool Ok => (int)Status is >= 200 and < 300;

    public JsonObject? Json => Body.Length > 0 && Body.TrimStart().StartsWith('{') ? JsonNode.Parse(Body) as JsonObject : null;

    /// <summary>The server's <c>Status.message</c>, else the body.</summary>
    public string Message => Json?["message"]?.GetValue<string>() ?? Body;
}

/// <summary>
/// Plain HTTP against the test bed's real kube-apiserver (admin token): discovery of kinds, server-side
/// dry runs, create/delete and SubjectAccessReviews. Deliberately independent of src/Kuryr.Kubernetes,
/// whose client has no dry-run option.
/// </summary>
public sealed class KubeApi(KubeTestBed bed) : IDisposable
{
    private readonly HttpClient _http = bed.CreateHttpClient();
    private readonly Dictionary<string, (string Plural, bool Namespaced)> _kinds = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The collection path of an object's kind (discovered from the server), or null when the server does not serve it.</summary>
    public async Task<(string Collection, bool Namespaced)?> CollectionAsync(string apiVersion, string kind, string? ns)
    {
        var found = await KindAsync(apiVersion, kind);
        if (found is null)
        {
            return null;
        }

        var (plural, namespaced) = found.Value;
        var prefix = apiVersion.Contains('/') ? "/apis/" + apiVersion : "/api/" + apiVersion;
        return (namespaced ? $"{prefix}/namespaces/{ns}/{plural}" : $"{prefix}/{plural}", namespaced);
    }

    private async Task<(string Plural, bool Namespaced)?> KindAsync(string apiVersion, string kind)
    {
        await _gate.WaitAsync();
        try
        {
            var key = apiVersion + "|" + kind;
            if (_kinds.TryGetValue(key, out var known))
            {
                return known;
            }

            var answer = await SendAsync(HttpMethod.Get, apiVersion.Contains('/') ? "/apis/" + apiVersion : "/api/" + apiVersion, null);
            if (!answer.Ok)
            {
                return null;
            }

            foreach (var r in answer.Json!["resources"]!.AsArray())
            {
                var name = r!["name"]!.GetValue<string>();
                if (!name.Contains('/') && r["kind"]!.GetValue<string>() == kind)
                {
                    return _kinds[key] = (name, r["namespaced"]!.GetValue<bool>());
                }
            }

            return null;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<ApiAnswer> SendAsync(HttpMethod method, string path, JsonNode? body)
    {
        using var request = new HttpRequestMessage(method, new Uri(bed.Server, path));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request);
        return new ApiAnswer(response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Server-side dry run of creating <paramref name="obj"/> (<c>?dryRun=All</c>): full decoding,
    /// defaulting, validation and admission, nothing stored. When an object of that name already exists
    /// (e.g. the CRDs the test bed installed), the dry run is an update of it instead (PUT with its
    /// resourceVersion), which validates the same way.
    /// </summary>
    public async Task<ApiAnswer> DryRunAsync(JsonObject obj, string? ns)
    {
        var apiVersion = obj["apiVersion"]?.GetValue<string>() ?? "";
        var kind = obj["kind"]?.GetValue<string>() ?? "";
        var collection = await CollectionAsync(apiVersion, kind, ns);
        if (collection is null)
        {
            return new ApiAnswer(HttpStatusCode.NotFound, $"the server serves no kind {kind} in {apiVersion}");
        }

        var answer = await SendAsync(HttpMethod.Post, collection.Value.Collection + "?dryRun=All", obj);
        if (answer.Status != HttpStatusCode.Conflict)
        {
            return answer;
        }

        var item = collection.Value.Collection + "/" + obj["metadata"]!["name"]!.GetValue<string>();
        var existing = await SendAsync(HttpMethod.Get, item, null);
        if (!existing.Ok)
        {
            return existing;
        }

        var update = (JsonObject)obj.DeepClone();
        update["metadata"]!["resourceVersion"] = existing.Json!["metadata"]!["resourceVersion"]!.GetValue<string>();
        return await SendAsync(HttpMethod.Put, item + "?dryRun=All", update);
    }

    /// <summary>Really creates the object; throws naming it and the server's message on failure.</summary>
    public async Task<string> CreateAsync(JsonObject obj, string? ns)
    {
        var collection = await CollectionAsync(obj["apiVersion"]!.GetValue<string>(), obj["kind"]!.GetValue<string>(), ns)
            ?? throw new InvalidOperationException("unknown kind " + obj["kind"]);
        var answer = await SendAsync(HttpMethod.Post, collection.Collection, obj);
        if (!answer.Ok)
        {
            throw new InvalidOperationException($"create {obj["kind"]}/{obj["metadata"]!["name"]}: {(int)answer.Status} {answer.Message}");
        }

        return collection.Collection + "/" + obj["metadata"]!["name"]!.GetValue<string>();
    }

    public Task<ApiAnswer> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null);

    /// <summary>
    /// Asks the authorizer whether the service account <paramref name="sa"/> in <paramref name="saNamespace"/>
    /// may do <paramref name="verb"/> on the resource (a real SubjectAccessReview: RBAC decides).
    /// </summary>
    public async Task<(bool Allowed, string Reason)> CanAsync(string saNamespace, string sa, string verb, string group, string resource, string? ns, string? name = null, string? subresource = null)
    {
        var attributes = new JsonObject { ["verb"] = verb, ["group"] = group, ["resource"] = resource };
        if (ns is not null)
        {
            attributes["namespace"] = ns;
        }

        if (name is not null)
        {
            attributes["name"] = name;
        }

        if (subresource is not null)
        {
            attributes["subresource"] = subresource;
        }

        var review = new JsonObject
        {
            ["apiVersion"] = "authorization.k8s.io/v1",
            ["kind"] = "SubjectAccessReview",
            ["spec"] = new JsonObject
            {
                ["user"] = $"system:serviceaccount:{saNamespace}:{sa}",
                ["groups"] = new JsonArray("system:serviceaccounts", "system:serviceaccounts:" + saNamespace, "system:authenticated"),
                ["resourceAttributes"] = attributes,
            },
        };
        var answer = await SendAsync(HttpMethod.Post, "/apis/authorization.k8s.io/v1/subjectaccessreviews", review);
        if (!answer.Ok)
        {
            throw new InvalidOperationException($"SubjectAccessReview failed: {(int)answer.Status} {answer.Message}");
        }

        var status = answer.Json!["status"]!;
        return (status["allowed"]?.GetValue<bool>() ?? false, status["reason"]?.GetValue<string>() ?? "");
    }

    public void Dispose()
    {
        _http.Dispose();
        _gate.Dispose();
    }
}
