using System.Collections.Concurrent;
using Kuryr.Neutron;
using Kuryr.Neutron.SecurityGroups;
using Kuryr.Pools.State;
using Microsoft.Extensions.Logging;

namespace Kuryr.Pools.Drivers.Common;

/// <summary>
/// Resolves "the project's default security groups" (an empty <see cref="SecurityGroupSet"/> in a
/// request) to the explicit id of the project's <c>default</c> group, so that pool buckets, bulk
/// creates, the SG swap, recycling and recovery all speak in explicit ids. (An empty set is
/// ambiguous: Neutron reports such ports with the <c>default</c> group's id, and an
/// <c>update_port</c> with <c>security_groups: []</c> would REMOVE every group.)
/// </summary>
public interface IDefaultSecurityGroups
{
    /// <summary><paramref name="requested"/> when it names groups; else {the project's <c>default</c>
    /// group id}. Throws <see cref="PoolDriverException"/> when the project has no such group.</summary>
    Task<SecurityGroupSet> ResolveAsync(string projectId, SecurityGroupSet requested, CancellationToken cancellationToken = default);
}

/// <summary>One Neutron listing per project, cached for the process (a project's <c>default</c>
/// group cannot be deleted while the project is in use); a failed listing is not cached.</summary>
internal sealed partial class DefaultSecurityGroups : IDefaultSecurityGroups
{
    private readonly INeutronClient _neutron;
    private readonly ILogger<DefaultSecurityGroups> _logger;
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _byProject = new(StringComparer.Ordinal);

    public DefaultSecurityGroups(INeutronClient neutron, ILogger<DefaultSecurityGroups> logger)
    {
        _neutron = neutron;
        _logger = logger;
    }

    public async Task<SecurityGroupSet> ResolveAsync(string projectId, SecurityGroupSet requested, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requested);
        if (requested.Ids.Count > 0)
        {
            return requested;
        }

        if (string.IsNullOrWhiteSpace(projectId))
        {
            throw new ArgumentException("project id must not be empty to resolve its default security group", nameof(projectId));
        }

        var lookup = _byProject.GetOrAdd(projectId, p => new Lazy<Task<string>>(() => LookUpAsync(p)));
        try
        {
            return new SecurityGroupSet([await lookup.Value.WaitAsync(cancellationToken).ConfigureAwait(false)]);
        }
        catch when (lookup.Value.IsFaulted)
        {
            // Never cache a failure: the next request lists again.
            _byProject.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(projectId, lookup));
            throw;
        }
    }

    private async Task<string> LookUpAsync(string projectId)
    {
        // Shared by every concurrent caller of the project: not cancelled by any one of them.
        await foreach (var sg in _neutron.ListSecurityGroupsAsync(new SecurityGroupFilter { Name = "default", ProjectId = projectId }, CancellationToken.None).ConfigureAwait(false))
        {
            if (sg.Name == "default")
            {
                LogResolved(projectId, sg.Id);
                return sg.Id;
            }
        }

        throw new PoolDriverException($"project {projectId} has no \"default\" security group: set [neutron_defaults] pod_security_groups");
    }

    [LoggerMessage(EventId = 4701, Level = LogLevel.Information, Message = "Project {ProjectId}: default security group is {SecurityGroupId}")]
    private partial void LogResolved(string projectId, string securityGroupId);
}
