using Kuryr.Cni.Plugin;

// kuryr-cni: CNI_* environment + network configuration on stdin → result or CNI error on stdout.
return await CniPlugin.RunProcessAsync().ConfigureAwait(false);
