using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Kuryr.Assignments;
using Kuryr.Config.Options;
using Kuryr.PoolCtl.Commands;
using Kuryr.PoolCtl.Configuration;
using Kuryr.PoolCtl.Inspection;
using Kuryr.PoolCtl.Management;
using Kuryr.PoolCtl.Output;
using Kuryr.Pools.DependencyInjection;
using Kuryr.Pools.Management;
using Kuryr.Pools.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;
using Spectre.Console.Rendering;
using StackExchange.Redis;

namespace Kuryr.PoolCtl;

/// <summary>
/// kuryr-poolctl: inspect the ports pools (straight from Redis) and steer them (through the
/// controller's management socket). Usage, output and exit codes: docs/poolctl.md.
/// </summary>
internal static class PoolCtlApp
{
    private const string Json = "json";
    private const string Table = "table";

    /// <summary>Runs one command line; returns the exit code (<see cref="ExitCodes"/>).</summary>
    /// <param name="environment">The <c>KURYR_*</c> variables to apply over kuryr.conf; null: the process's.</param>
    /// <param name="handleSignals">Ctrl-C / SIGTERM cancel the command (the real process).</param>
    public static async Task<int> RunAsync(
        string[] args, PoolCtlIo io, IReadOnlyDictionary<string, string>? environment, TimeProvider time, bool handleSignals = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(io);
        var configFile = new Option<string?>("--config-file")
        {
            Description = "kuryr.conf of the controller ([redis], [pool_manager] sock_file); default /etc/kuryr/kuryr.conf when it exists",
            Recursive = true,
        };
        var redis = new Option<string?>("--redis") { Description = "Redis HOST:PORT[,HOST:PORT] (overrides [redis] endpoints)", Recursive = true };
        var socket = new Option<string?>("--socket") { Description = "Controller's management socket (overrides [pool_manager] sock_file)", Recursive = true };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Output format: table or json",
            DefaultValueFactory = _ => Table,
            Recursive = true,
        };
        output.AcceptOnlyFromAmong(Table, Json);

        var pool = new Argument<string>("POOL") { Description = "Pool id HOST/PROJECT_ID/NETWORK_ID (see list)" };
        var interval = new Option<double>("--interval", "-n") { Description = "Seconds between refreshes", DefaultValueFactory = _ => 2 };
        interval.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is not (> 0 and <= 86400))
            {
                r.AddError("--interval must be more than 0 and at most 86400 seconds");
            }
        });
        var count = new Option<int>("--count") { Description = "Stop after this many refreshes (0: until Ctrl-C)", DefaultValueFactory = _ => 0 };
        count.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0)
            {
                r.AddError("--count must not be negative");
            }
        });
        var ports = new Option<int>("--ports") { Description = $"Ports to create (1..{ManagementClient.MaxPorts})", Required = true };
        ports.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > ManagementClient.MaxPorts)
            {
                r.AddError($"--ports {r.GetValueOrDefault<int>()} is out of range: 1..{ManagementClient.MaxPorts} ports per populate");
            }
        });
        var subnet = new Option<string>("--subnet-id") { Description = "Subnet of the ports' fixed IPs (on the pool's network)", Required = true };
        var groups = new Option<string[]>("--security-group") { Description = "Security group of the ports (repeatable; none: the project's default)", DefaultValueFactory = _ => [] };
        var node = new Option<string?>("--node") { Description = "Node the pool serves (default: the pool's host)" };
        var vifNode = new Option<string>("--node") { Description = "The node whose VIFs to list", Required = true };

        var list = new Command("list", "Every pool: driver, available ports per security-group bucket, assigned, recyclable, creating/deleting, last populate");
        var show = new Command("show", "One pool: counts, buckets, port ids per state, owners of assigned ports") { pool };
        var watch = new Command("watch", "Refresh list every --interval seconds until Ctrl-C (a new table per refresh when not on a terminal)") { interval, count };
        var populate = new Command("populate", "Create ports in a pool through the controller's management socket") { pool, ports, subnet, groups, node };
        var free = new Command("free", "Delete a pool's available and recyclable ports through the controller's management socket") { pool };
        var vifs = new Command("vifs", "The VIFs assigned on a node: pod, interface, port, MAC, IPs, VIF type, active") { vifNode };
        var root = new RootCommand("kuryr-poolctl: inspect and steer Kuryr.Node's ports pools")
        {
            configFile, redis, socket, output, list, show, watch, populate, free, vifs,
        };

        Func<ParseResult, CancellationToken, Task<int>> Run(Func<Context, ParseResult, CancellationToken, Task> action) => async (parse, token) =>
        {
            try
            {
                var settings = PoolCtlSettings.Load(parse.GetValue(configFile), parse.GetValue(redis), parse.GetValue(socket), environment);
                var context = new Context(io, settings, parse.GetValue(output) == Json, time);
                await action(context, parse, token).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            catch (PoolCtlException e)
            {
                await io.Err.WriteLineAsync("kuryr-poolctl: " + e.Message).ConfigureAwait(false);
                return e.ExitCode;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return ExitCodes.Ok;
            }
        };

        list.SetAction(Run((c, _, _) => c.InspectAsync(async i => c.Write(await i.ListAsync().ConfigureAwait(false), PoolCtlJsonContext.Default.PoolListView, v => Tables.List(v, c.Io.Terminal)))));
        show.SetAction(Run((c, p, _) =>
        {
            var key = PoolIds.Parse(p.GetValue(pool)!);
            return c.InspectAsync(async i => c.Write(await i.ShowAsync(key).ConfigureAwait(false), PoolCtlJsonContext.Default.PoolDetailView, v => Tables.Show(v, c.Io.Terminal)));
        }));
        vifs.SetAction(Run((c, p, _) =>
            c.InspectAsync(async i => c.Write(await i.VifsAsync(p.GetValue(vifNode)!).ConfigureAwait(false), PoolCtlJsonContext.Default.NodeVifsView, v => Tables.Vifs(v, c.Io.Terminal)))));
        watch.SetAction(Run((c, p, token) => c.InspectAsync(i => c.WatchAsync(i, TimeSpan.FromSeconds(p.GetValue(interval)), p.GetValue(count), token))));
        populate.SetAction(Run(async (c, p, token) =>
        {
            var key = PoolIds.Parse(p.GetValue(pool)!);
            var request = new PopulateRequest
            {
                Ports = p.GetValue(ports),
                SubnetId = p.GetValue(subnet),
                NodeName = p.GetValue(node),
                SecurityGroups = p.GetValue(groups) ?? [],
            };
            using var client = new ManagementClient(c.Settings.SocketPath, NullLogger.Instance);
            var result = await client.PopulateAsync(key, request, token).ConfigureAwait(false);
            c.Write(result, PoolCtlJsonContext.Default.PopulateView,
                v => new Text(string.Create(CultureInfo.InvariantCulture, $"Pool {v.Pool} (driver {v.Driver}): {v.Created} of {request.Ports} ports created.")));
        }));
        free.SetAction(Run(async (c, p, token) =>
        {
            var key = PoolIds.Parse(p.GetValue(pool)!);
            using var client = new ManagementClient(c.Settings.SocketPath, NullLogger.Instance);
            var result = await client.FreeAsync(key, token).ConfigureAwait(false);
            c.Write(result, PoolCtlJsonContext.Default.FreeView,
                v => new Text(string.Create(CultureInfo.InvariantCulture, $"Pool {v.Pool}: {v.Deleted} ports deleted (assigned ports stay).")));
        }));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await io.Err.WriteLineAsync("kuryr-poolctl: " + error.Message).ConfigureAwait(false);
            }

            await io.Err.WriteLineAsync("Run 'kuryr-poolctl --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = io.Out,
            Error = io.Err,
            ProcessTerminationTimeout = handleSignals ? TimeSpan.FromSeconds(2) : null,
        };
        return await parsed.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One command's settings and output.</summary>
    private sealed class Context(PoolCtlIo io, PoolCtlSettings settings, bool json, TimeProvider time)
    {
        public PoolCtlIo Io => io;

        public PoolCtlSettings Settings => settings;

        private IAnsiConsole Console { get; } = Tables.Console(io.Out, io.Terminal);

        public void Write<T>(T value, JsonTypeInfo<T> type, Func<T, IRenderable> table)
        {
            if (json)
            {
                io.Out.WriteLine(JsonSerializer.Serialize(value, type));
            }
            else
            {
                var rendered = table(value);
                Console.Write(rendered);
                if (rendered is Text)
                {
                    Console.WriteLine();
                }
            }

            io.Out.Flush();
        }

        /// <summary>Connects to Redis (the controller's [redis], reusing its connection code) and runs <paramref name="action"/>.</summary>
        public async Task InspectAsync(Func<PoolInspector, Task> action)
        {
            var redis = settings.Redis;
            var endpoints = string.Join(",", redis.Endpoints);
            using var mux = KuryrRedis.Connect(redis);
            if (!mux.IsConnected)
            {
                throw PoolInspector.RedisUnreachable(endpoints);
            }

            var services = new ServiceCollection();
            services.AddSingleton<IConnectionMultiplexer>(mux);
            services.Configure<RedisOptions>(o =>
            {
                o.Endpoints = redis.Endpoints;
                o.Password = redis.Password;
                o.Database = redis.Database;
                o.KeyPrefix = redis.KeyPrefix;
                o.ConnectTimeoutSeconds = redis.ConnectTimeoutSeconds;
            });
            services.AddSingleton(time);
            services.AddKuryrNodeVifAssignments();
            services.AddKuryrPools();
            await using var provider = services.BuildServiceProvider();
            var inspector = new PoolInspector(
                provider.GetRequiredService<IPoolStateStore>(),
                provider.GetRequiredService<IPoolMetadata>(),
                provider.GetRequiredService<INodeVifReader>(),
                endpoints);
            await action(inspector).ConfigureAwait(false);
        }

        /// <summary><c>watch</c>: <c>list</c> every <paramref name="interval"/>; Ctrl-C (the token) ends it with exit 0.</summary>
        public async Task WatchAsync(PoolInspector inspector, TimeSpan interval, int count, CancellationToken cancellationToken)
        {
            for (var n = 1; ; n++)
            {
                PoolListView? view = null;
                try
                {
                    view = await inspector.ListAsync().ConfigureAwait(false);
                }
                catch (PoolCtlException e) when (n > 1)
                {
                    // A Redis blip does not end a live view: say so and keep refreshing.
                    await io.Err.WriteLineAsync("kuryr-poolctl: " + e.Message).ConfigureAwait(false);
                }

                if (view is not null)
                {
                    if (json)
                    {
                        io.Out.WriteLine(JsonSerializer.Serialize(view, PoolCtlJsonContext.Compact.PoolListView));
                        io.Out.Flush();
                    }
                    else
                    {
                        if (io.Terminal)
                        {
                            Console.Clear(home: true);
                        }

                        var now = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                        Console.Write(new Text(string.Create(CultureInfo.InvariantCulture, $"Every {interval.TotalSeconds:0.###}s: kuryr-poolctl list    {now}\n")));
                        Write(view, PoolCtlJsonContext.Default.PoolListView, v => Tables.List(v, io.Terminal));
                        if (!io.Terminal)
                        {
                            io.Out.WriteLine();
                        }
                    }
                }

                if (count > 0 && n >= count)
                {
                    return;
                }

                await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
