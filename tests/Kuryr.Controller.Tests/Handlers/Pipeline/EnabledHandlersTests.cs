using Kuryr.Controller.Handlers;
using Kuryr.Controller.Handlers.Pipeline;
using Kuryr.Kubernetes.Models;
using Microsoft.Extensions.DependencyInjection;

namespace Kuryr.Controller.Tests.Handlers.Pipeline;

/// <summary>Selection of the handlers by <c>[kubernetes] enabled_handlers</c> (pure logic).</summary>
public sealed class EnabledHandlersTests
{
    private static List<HandlerRegistration> Registrations(params string[] names)
    {
        var services = new ServiceCollection();
        foreach (var name in names)
        {
            services.AddResourceHandler<ConfigMap, RecordingHandler>(name, KubernetesResources.ConfigMaps);
        }

        return [.. services.Where(d => d.ServiceType == typeof(HandlerRegistration)).Select(d => (HandlerRegistration)d.ImplementationInstance!)];
    }

    [Fact]
    public void Kuryr_handlers_not_in_kuryr_node_are_ignored_and_the_rest_run_in_configured_order()
    {
        var (run, ignored) = EnabledHandlers.Resolve(["kuryrport", "endpoints", "vif", "service", "kuryrloadbalancer", "vif"], Registrations("vif", "kuryrport"));
        Assert.Equal(["kuryrport", "vif"], run.Select(r => r.Name));
        Assert.Equal(["endpoints", "service", "kuryrloadbalancer"], ignored);
    }

    [Fact]
    public void An_enabled_handler_that_is_not_available_is_an_error_naming_the_option()
    {
        var e = Assert.Throws<InvalidOperationException>(() => EnabledHandlers.Resolve(["vif", "namespace"], Registrations("vif")));
        Assert.Contains("[kubernetes] enabled_handlers", e.Message, StringComparison.Ordinal);
        Assert.Contains("'namespace'", e.Message, StringComparison.Ordinal);
        Assert.Contains("available: vif", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_handler_registered_twice_is_an_error()
    {
        var e = Assert.Throws<InvalidOperationException>(() => EnabledHandlers.Resolve(["vif"], Registrations("vif", "vif")));
        Assert.Contains("'vif' is registered twice for configmaps", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bug_the_namespace_handler_registered_on_namespaces_and_pods_stopped_the_controller_from_starting()
    {
        // AddKuryrNamespaceHandlers registers `namespace` on Namespaces and on Pods (Kuryr's namespace
        // handler also reacts to pods); the pipeline refused that, so kuryr-controller never started.
        var services = new ServiceCollection();
        services.AddResourceHandler<Namespace, RecordingNamespaceHandler>("namespace", KubernetesResources.Namespaces);
        services.AddResourceHandler<Pod, RecordingPodHandler>("namespace", KubernetesResources.Pods);
        services.AddResourceHandler<ConfigMap, RecordingHandler>("vif", KubernetesResources.ConfigMaps);
        var registrations = services.Where(d => d.ServiceType == typeof(HandlerRegistration)).Select(d => (HandlerRegistration)d.ImplementationInstance!).ToList();

        var (run, _) = EnabledHandlers.Resolve(["vif", "namespace"], registrations);

        Assert.Equal(["vif/configmaps", "namespace/namespaces", "namespace/pods"], run.Select(r => r.Name + "/" + r.ResourceName));
    }

    private sealed class RecordingNamespaceHandler : IResourceHandler<Namespace>
    {
        public Task OnPresentAsync(Namespace obj, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task OnFinalizeAsync(Namespace obj, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task OnDeletedAsync(Namespace obj, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class RecordingPodHandler : IResourceHandler<Pod>
    {
        public Task OnPresentAsync(Pod obj, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task OnFinalizeAsync(Pod obj, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task OnDeletedAsync(Pod obj, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
