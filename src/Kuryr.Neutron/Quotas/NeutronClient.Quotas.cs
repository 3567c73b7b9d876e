using Kuryr.Neutron.Quotas;
using Kuryr.Neutron.Serialization;
using Kuryr.Neutron.Transport;

namespace Kuryr.Neutron;

internal sealed partial class NeutronClient
{
    public async Task<QuotaDetails> GetQuotaDetailsAsync(string projectId, CancellationToken cancellationToken = default)
    {
        var path = "quotas/" + PathId(projectId, nameof(projectId)) + "/details.json";
        var response = await SendAsync(new NeutronRequest("show_quota_details", HttpMethod.Get, path) { Idempotent = true }, cancellationToken);
        var resources = NeutronJson.Unwrap(response, "quota", Json.DictionaryStringQuotaUsage, "show_quota_details");
        return new QuotaDetails(resources);
    }
}
