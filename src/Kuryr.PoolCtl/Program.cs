namespace Kuryr.PoolCtl;

internal static class Program
{
    public static Task<int> Main(string[] args) =>
        PoolCtlApp.RunAsync(args, new PoolCtlIo(Console.Out, Console.Error, Terminal: !Console.IsOutputRedirected), environment: null, TimeProvider.System, handleSignals: true);
}
