using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Kuryr.Neutron.Networks;
using Kuryr.Neutron.SecurityGroups;
using Kuryr.Neutron.Subnets;
using Kuryr.Pools.Management;
using Kuryr.Pools.Manager;
using Kuryr.Pools.State;
using Kuryr.Pools.Tests.Manager;
using Kuryr.Testing.Neutron;
using Kuryr.Testing.TestBed;
using Microsoft.Extensions.DependencyInjection;

namespace Kuryr.Pools.Tests.Management;

/// <summary>The management API served by REAL Kestrel on a unix socket, in front of the real pools
/// (real Redis, real neutron-server through <see cref="PoolsHarness"/>).</summary>
[Collection(VifPoolManagerTests.Collection)]
public sealed class PoolManagementServerTests(RedisTestBed redis) : IClassFixture<RedisTestBed>, IAsyncLifetime
{
    private readonly NeutronTestProject _project = new("knpm");
    private readonly string _host = "knpm-node-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "knpm-" + Guid.NewGuid().ToString("N")[..8]);
    private Network _network = null!;
    private Subnet _subnet = null!;

    private string SocketPath => Path.Combine(_dir, "run", "kuryr_manage.sock");

    public async Task InitializeAsync()
    {
        await _project.InitializeAsync();
        await _project.Bed.RegisterOvsAgentAsync(_host);
        (_network, _subnet) = await _project.CreateNetworkAsync("10.79.0.0/24");
    }

    public async Task DisposeAsync()
    {
        try
        {
            await _project.DisposeAsync();
        }
        finally
        {
            if (Directory.Exists(_dir))
            {
                Directory.Delete(_dir, recursive: true);
            }
        }
    }

    private sealed class Api(PoolsHarness harness, IPoolManagementServer server, HttpClient client) : IAsyncDisposable
    {
        public PoolsHarness Harness => harness;

        public IPoolManagementServer Server => server;

        public HttpClient Client => client;

        public async ValueTask DisposeAsync()
        {
            client.Dispose();
            await server.StopAsync(CancellationToken.None);
            await harness.DisposeAsync();
        }
    }

    private sealed class SwitchableReadiness : IPoolReadiness
    {
        public bool IsReady { get; set; }

        public void MarkRecovered()
        {
            // The harness declares recovery done; this test decides itself.
        }
    }

    private async Task<Api> StartAsync(Action<IServiceCollection>? configure = null)
    {
        var harness = await PoolsHarness.StartAsync(_project, redis, RedisTestBed.UniquePrefix("mgmt"), o =>
        {
            o.PortsPoolMin = 0;
            o.PortsPoolBatch = 1;
            o.PortsPoolMax = 0;
        }, configure: s =>
        {
            s.AddKuryrPoolManagement(o => o.SockFile = SocketPath);
            configure?.Invoke(s);
        });
        var server = harness.Services.GetRequiredService<IPoolManagementServer>();
        await server.StartAsync(CancellationToken.None);
        return new Api(harness, server, UnixClient(SocketPath));
    }

    internal static HttpClient UnixClient(string path) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    { BaseAddress = new Uri("http://localhost") };

    private string PoolPath => $"/pools/{_host}/{_project.ProjectId}/{_network.Id}";

    private string PoolId => $"{_host}/{_project.ProjectId}/{_network.Id}";

    private static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    private string PopulateJson(int ports, params string[] groups) =>
        JsonSerializer.Serialize(new PopulateRequest { Ports = ports, SubnetId = _subnet.Id, NodeName = _host, SecurityGroups = groups }, PoolManagementJsonContext.Default.PopulateRequest);

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = json is null ? null : JsonBody(json) };
        using var response = await client.SendAsync(request);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var text = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(text);
        return (response.StatusCode, doc.RootElement.Clone());
    }

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    [Fact]
    public async Task Populate_creates_the_ports_in_Neutron_and_show_lists_them_per_state_and_bucket()
    {
        await using var api = await StartAsync();

        var (status, body) = await SendAsync(api.Client, HttpMethod.Post, PoolPath + "/populate", PopulateJson(3));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(PoolId, body.GetProperty("pool").GetString());
        Assert.Equal("neutron", body.GetProperty("driver").GetString());
        Assert.Equal(3, body.GetProperty("created").GetInt32());
        var ports = await _project.ListPortsAsync(_network.Id);
        Assert.Equal(3, ports.Count);
        Assert.All(ports, p => Assert.Equal(_host, p.BindingHostId));

        (status, body) = await SendAsync(api.Client, HttpMethod.Get, PoolPath);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(PoolId, body.GetProperty("id").GetString());
        Assert.Equal(_host, body.GetProperty("host").GetString());
        Assert.Equal("neutron", body.GetProperty("driver").GetString());
        var counts = body.GetProperty("counts");
        Assert.Equal(3, counts.GetProperty("available").GetInt32());
        Assert.Equal(0, counts.GetProperty("assigned").GetInt32());
        Assert.Equal(3, counts.GetProperty("total").GetInt32());
        var bucket = Assert.Single(body.GetProperty("ports").GetProperty("available").EnumerateArray());
        var defaultGroup = Assert.Single(ports.Select(p => Assert.Single(p.SecurityGroups)).Distinct());
        Assert.Equal([defaultGroup], Strings(bucket.GetProperty("securityGroups")));
        Assert.Equal(ports.Select(p => p.Id).Order(), Strings(bucket.GetProperty("portIds")).Order());
    }

    [Fact]
    public async Task Free_deletes_the_available_ports_in_Neutron_and_keeps_the_assigned_one()
    {
        await using var api = await StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(api.Client, HttpMethod.Post, PoolPath + "/populate", PopulateJson(3))).Status);
        var taken = await api.Harness.Pool.RequestVifAsync(new PodVifRequest(
            "ns1", "pod-a", Guid.NewGuid().ToString(), _host, null, "eth0", _project.ProjectId, _subnet.Id, _network.Id, SecurityGroupSet.Default));

        var (status, body) = await SendAsync(api.Client, HttpMethod.Post, PoolPath + "/free");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(PoolId, body.GetProperty("pool").GetString());
        Assert.Equal(2, body.GetProperty("deleted").GetInt32());
        var left = Assert.Single(await _project.ListPortsAsync(_network.Id));
        Assert.Equal(taken.PortId, left.Id);
        (status, body) = await SendAsync(api.Client, HttpMethod.Get, PoolPath);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, body.GetProperty("counts").GetProperty("available").GetInt32());
        var assigned = Assert.Single(body.GetProperty("ports").GetProperty("assigned").EnumerateArray());
        Assert.Equal(taken.PortId, assigned.GetProperty("portId").GetString());
        Assert.StartsWith("ns1/pod-a/", assigned.GetProperty("owner").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Freeing_every_port_unregisters_the_pool_and_show_then_answers_404()
    {
        await using var api = await StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(api.Client, HttpMethod.Post, PoolPath + "/populate", PopulateJson(2))).Status);

        var (status, body) = await SendAsync(api.Client, HttpMethod.Post, PoolPath + "/free");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, body.GetProperty("deleted").GetInt32());
        Assert.Empty(await _project.ListPortsAsync(_network.Id));
        (status, body) = await SendAsync(api.Client, HttpMethod.Get, PoolPath);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal($"pool {PoolId} not found", body.GetProperty("error").GetString());
        Assert.Empty((await SendAsync(api.Client, HttpMethod.Get, "/pools")).Body.GetProperty("pools").EnumerateArray());
    }

    [Fact]
    public async Task List_shows_every_pool_with_its_driver_counts_and_available_ports_per_security_group_bucket()
    {
        var sg = await _project.Admin.CreateSecurityGroupAsync(new SecurityGroupCreate { Name = "knpm-sg", ProjectId = _project.ProjectId });
        var (network2, subnet2) = await _project.CreateNetworkAsync("10.79.1.0/24");
        await using var api = await StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(api.Client, HttpMethod.Post, PoolPath + "/populate", PopulateJson(2))).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(api.Client, HttpMethod.Post, PoolPath + "/populate", PopulateJson(1, sg.Id))).Status);
        var second = JsonSerializer.Serialize(new PopulateRequest { Ports = 1, SubnetId = subnet2.Id }, PoolManagementJsonContext.Default.PopulateRequest);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(api.Client, HttpMethod.Post, $"/pools/{_host}/{_project.ProjectId}/{network2.Id}/populate", second)).Status);

        var (status, body) = await SendAsync(api.Client, HttpMethod.Get, "/pools");

        Assert.Equal(HttpStatusCode.OK, status);
        var pools = body.GetProperty("pools").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetString()!);
        Assert.Equal(2, pools.Count);
        var first = pools[PoolId];
        Assert.Equal("neutron", first.GetProperty("driver").GetString());
        Assert.Equal(3, first.GetProperty("counts").GetProperty("available").GetInt32());
        var buckets = first.GetProperty("buckets").EnumerateArray()
            .ToDictionary(b => string.Join(',', Strings(b.GetProperty("securityGroups"))), b => b.GetProperty("available").GetInt32());
        Assert.Equal(2, buckets.Count);
        Assert.Equal(1, buckets[sg.Id]);
        Assert.Equal(2, buckets.Single(b => b.Key != sg.Id).Value);
        var other = pools[$"{_host}/{_project.ProjectId}/{network2.Id}"];
        Assert.Equal(network2.Id, other.GetProperty("networkId").GetString());
        Assert.Equal(1, other.GetProperty("counts").GetProperty("total").GetInt32());
        Assert.Equal(4, (await _project.ListPortsAsync()).Count);
    }

    public static TheoryData<string, string?, string> BadPopulateBodies => new()
    {
        { "", null, "request body is empty" },
        { "{", null, "request body is not valid" },
        { "null", null, "request body is null" },
        { "{\"subnetId\": \"x\"}", "ports", "ports is required" },
        { "{\"ports\": 0, \"subnetId\": \"x\"}", "ports", "ports must be between 1 and 500, got 0" },
        { "{\"ports\": 501, \"subnetId\": \"x\"}", "ports", "ports must be between 1 and 500, got 501" },
        { "{\"ports\": \"two\", \"subnetId\": \"x\"}", "ports", "request body is not valid" },
        { "{\"ports\": 1}", "subnetId", "subnetId is required" },
        { "{\"ports\": 1, \"subnetId\": \" \"}", "subnetId", "subnetId is required" },
        { "{\"ports\": 1, \"subnetId\": \"x\", \"num_ports\": 2}", "num_ports", "request body is not valid" },
        { "{\"ports\": 1, \"subnetId\": \"x\", \"nodeName\": \"\"}", "nodeName", "nodeName must not be empty" },
        { "{\"ports\": 1, \"subnetId\": \"x\", \"securityGroups\": [\"a,b\"]}", "securityGroups", "securityGroups must hold security group ids" },
    };

    [Theory]
    [MemberData(nameof(BadPopulateBodies))]
    public async Task A_bad_populate_body_answers_400_naming_the_field_and_creates_nothing(string json, string? field, string message)
    {
        await using var api = await StartAsync();

        var (status, body) = await SendAsync(api.Client, HttpMethod.Post, PoolPath + "/populate", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith(message, body.GetProperty("error").GetString(), StringComparison.Ordinal);
        if (field is null)
        {
            Assert.False(body.TryGetProperty("field", out _));
        }
        else
        {
            Assert.Equal(field, body.GetProperty("field").GetString());
        }

        Assert.Equal(0, api.Harness.Proxy.Count(r => r.Method == "POST"));
    }

    [Fact]
    public async Task A_subnet_that_does_not_exist_or_belongs_to_another_network_answers_400_naming_subnetId()
    {
        var (_, otherSubnet) = await _project.CreateNetworkAsync("10.79.2.0/24");
        await using var api = await StartAsync();

        var missing = JsonSerializer.Serialize(new PopulateRequest { Ports = 1, SubnetId = Guid.NewGuid().ToString() }, PoolManagementJsonContext.Default.PopulateRequest);
        var (status, body) = await SendAsync(api.Client, HttpMethod.Post, PoolPath + "/populate", missing);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("subnetId", body.GetProperty("field").GetString());
        Assert.Contains("does not exist", body.GetProperty("error").GetString(), StringComparison.Ordinal);

        var wrong = JsonSerializer.Serialize(new PopulateRequest { Ports = 1, SubnetId = otherSubnet.Id }, PoolManagementJsonContext.Default.PopulateRequest);
        (status, body) = await SendAsync(api.Client, HttpMethod.Post, PoolPath + "/populate", wrong);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("subnetId", body.GetProperty("field").GetString());
        Assert.Contains($"not to the pool's network {_network.Id}", body.GetProperty("error").GetString(), StringComparison.Ordinal);

        Assert.Empty(await _project.ListPortsAsync());
    }

    [Fact]
    public async Task An_invalid_pool_id_in_the_path_answers_400_naming_the_part()
    {
        await using var api = await StartAsync();

        var (status, body) = await SendAsync(api.Client, HttpMethod.Get, $"/pools/{_host}/{_project.ProjectId}/net%7Bx%7D");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("networkId", body.GetProperty("field").GetString());
    }

    [Fact]
    public async Task An_unknown_pool_answers_404_naming_it_on_show_and_free()
    {
        await using var api = await StartAsync();
        var unknown = $"/pools/nowhere/{_project.ProjectId}/{_network.Id}";

        var (status, body) = await SendAsync(api.Client, HttpMethod.Get, unknown);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal($"pool nowhere/{_project.ProjectId}/{_network.Id} not found", body.GetProperty("error").GetString());

        (status, body) = await SendAsync(api.Client, HttpMethod.Post, unknown + "/free");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal($"pool nowhere/{_project.ProjectId}/{_network.Id} not found", body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("GET", "/", HttpStatusCode.NotFound)]
    [InlineData("GET", "/listPools", HttpStatusCode.NotFound)]
    [InlineData("GET", "/pools/a/b", HttpStatusCode.NotFound)]
    [InlineData("GET", "/pools/a/b/c/shrink", HttpStatusCode.NotFound)]
    [InlineData("POST", "/pools", HttpStatusCode.MethodNotAllowed)]
    [InlineData("DELETE", "/pools/a/b/c", HttpStatusCode.MethodNotAllowed)]
    [InlineData("GET", "/pools/a/b/c/populate", HttpStatusCode.MethodNotAllowed)]
    public async Task Unknown_routes_and_methods_answer_JSON_errors(string method, string path, HttpStatusCode expected)
    {
        await using var api = await StartAsync();

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        using var response = await api.Client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(path, doc.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        if (expected == HttpStatusCode.MethodNotAllowed)
        {
            Assert.Single(response.Content.Headers.Allow);
        }
    }

    [Fact]
    public async Task A_controller_that_is_not_the_leader_refuses_changes_with_503_but_serves_reads()
    {
        var leader = false;
        await using var api = await StartAsync(s => s.AddSingleton(ManagementGate.FromLeader(() => leader)));

        var (status, body) = await SendAsync(api.Client, HttpMethod.Post, PoolPath + "/populate", PopulateJson(1));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("not the leader", body.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await SendAsync(api.Client, HttpMethod.Post, PoolPath + "/free")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(api.Client, HttpMethod.Get, "/pools")).Status);
        Assert.Empty(await _project.ListPortsAsync());

        leader = true;
        (status, body) = await SendAsync(api.Client, HttpMethod.Post, PoolPath + "/populate", PopulateJson(1));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, body.GetProperty("created").GetInt32());
        Assert.Single(await _project.ListPortsAsync());
    }

    [Fact]
    public async Task Pools_not_recovered_yet_refuse_changes_with_503()
    {
        var readiness = new SwitchableReadiness();
        await using var api = await StartAsync(s => s.AddSingleton<IPoolReadiness>(readiness));

        var (status, body) = await SendAsync(api.Client, HttpMethod.Post, PoolPath + "/populate", PopulateJson(1));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("not recovered yet", body.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(await _project.ListPortsAsync());
        readiness.IsReady = true;
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(api.Client, HttpMethod.Post, PoolPath + "/populate", PopulateJson(1))).Status);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_socket_is_created_in_a_new_directory_with_mode_0660_replacing_a_stale_file_and_removed_at_stop()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SocketPath)!);
        await File.WriteAllTextAsync(SocketPath, "stale");

        var api = await StartAsync();
        try
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, File.GetUnixFileMode(SocketPath));
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(api.Client, HttpMethod.Get, "/pools")).Status);
        }
        finally
        {
            await api.DisposeAsync();
        }

        Assert.False(File.Exists(SocketPath));
    }

    [Fact]
    public async Task A_second_server_refuses_a_socket_another_server_is_listening_on()
    {
        await using var api = await StartAsync();

        var error = Assert.Throws<IOException>(() => UnixSocketListener.Prepare(SocketPath));

        Assert.Contains("another process is listening", error.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(api.Client, HttpMethod.Get, "/pools")).Status);
    }
}
