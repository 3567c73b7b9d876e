namespace Kuryr.Testing.TestBed;

/// <summary>
/// xunit fixture: the real neutron-server in trusted-header mode (requests carry X-User-Id,
/// X-Project-Id, X-Roles; real per-project policy) and, through Keystone, the second
/// neutron-server that validates real tokens.
/// </summary>
public sealed class NeutronTestBed : IAsyncLifetime
{
    private IReadOnlyDictionary<string, string> _env = new Dictionary<string, string>();

    /// <summary><c>http://127.0.0.1:19696/v2.0</c>: trusted headers.</summary>
    public Uri HeadersEndpoint => new(_env["NEUTRON_ENDPOINT"]);

    /// <summary>Neutron's state dir (its SQLite DB, for register-ovs-agent.py).</summary>
    public string StateDir => _env["NEUTRON_STATE_DIR"];

    /// <summary><c>http://127.0.0.1:19697/v2.0</c>: the Keystone-validated server.</summary>
    public Uri KeystoneNeutronEndpoint => new(_env["NEUTRON_KEYSTONE_ENDPOINT"]);

    /// <summary>Keystone v3, e.g. <c>http://127.0.0.1:15000/v3</c>.</summary>
    public Uri KeystoneAuthUrl => new(_env["OS_AUTH_URL"]);

    public string AdminUser => _env["OS_USERNAME"];

    public string AdminPassword => _env["OS_PASSWORD"];

    public string AdminProject => _env["OS_PROJECT_NAME"];

    public string Region => _env["OS_REGION_NAME"];

    public IReadOnlyDictionary<string, string> Env => _env;

    public async Task InitializeAsync() => _env = await TestBedEnvironment.EnsureAsync("neutron", "keystone").ConfigureAwait(false);

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Makes the fake "Open vSwitch agent" row so ML2 binds ports on these hosts.</summary>
    public Task RegisterOvsAgentAsync(params string[] hosts) =>
        TestBedEnvironment.RunScriptAsync("openstack/register-ovs-agent.py", null,
            [Path.Combine(StateDir, "neutron.sqlite"), .. hosts]);
}
