namespace Kuryr.Config;

/// <summary>Which component reads the configuration: decides which options are required.</summary>
[Flags]
public enum KuryrComponent
{
    /// <summary>No component-specific requirements (CLIs, tests).</summary>
    None = 0,

    /// <summary>kuryr-controller: needs the Neutron defaults its drivers use (project, pod subnet,
    /// security groups, worker subnets in nested mode, namespace subnet pool and router).</summary>
    Controller = 1,

    /// <summary>kuryr-agent.</summary>
    Agent = 2,
}
