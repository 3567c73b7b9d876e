using BenchmarkDotNet.Running;

// bench/run.sh runs every benchmark with a short job and prints BenchmarkDotNet's table.
BenchmarkSwitcher.FromAssembly(typeof(Kuryr.Bench.Pools.PoolStateBenchmarks).Assembly).Run(args);
