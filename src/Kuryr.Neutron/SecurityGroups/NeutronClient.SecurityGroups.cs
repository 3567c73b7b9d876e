using Kuryr.Neutron.SecurityGroups;
using Kuryr.Neutron.Serialization;

namespace Kuryr.Neutron;

internal sealed partial class NeutronClient
{
    public Task<SecurityGroup> CreateSecurityGroupAsync(SecurityGroupCreate securityGroup, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(securityGroup);
        return PostAsync("create_security_group", "security-groups", "security_group", securityGroup,
            Json.SecurityGroupCreate, Json.SecurityGroup, cancellationToken);
    }

    public Task<SecurityGroup> GetSecurityGroupAsync(string securityGroupId, CancellationToken cancellationToken = default) =>
        ShowAsync("show_security_group", "security-groups", "security_group", securityGroupId, nameof(securityGroupId),
            Json.SecurityGroup, cancellationToken);

    public IAsyncEnumerable<SecurityGroup> ListSecurityGroupsAsync(SecurityGroupFilter? filter = null, CancellationToken cancellationToken = default) =>
        ListAsync("list_security_groups", "security-groups", "security_groups", filter, Json.SecurityGroup, cancellationToken);

    public Task<bool> DeleteSecurityGroupAsync(string securityGroupId, CancellationToken cancellationToken = default) =>
        DeleteAsync("delete_security_group", "security-groups", securityGroupId, nameof(securityGroupId), cancellationToken);

    public Task<SecurityGroupRule> CreateSecurityGroupRuleAsync(SecurityGroupRuleCreate rule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        Require(rule.SecurityGroupId, "security_group_rule.security_group_id");
        if (rule.Direction is not ("ingress" or "egress"))
        {
            throw InvalidField.Create("security_group_rule.direction", $"must be ingress or egress, not '{rule.Direction}'");
        }

        return PostAsync("create_security_group_rule", "security-group-rules", "security_group_rule", rule,
            Json.SecurityGroupRuleCreate, Json.SecurityGroupRule, cancellationToken);
    }

    public Task<bool> DeleteSecurityGroupRuleAsync(string ruleId, CancellationToken cancellationToken = default) =>
        DeleteAsync("delete_security_group_rule", "security-group-rules", ruleId, nameof(ruleId), cancellationToken);
}
