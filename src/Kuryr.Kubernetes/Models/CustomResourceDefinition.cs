using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Kuryr.Kubernetes.Serialization;

namespace Kuryr.Kubernetes.Models;

/// <summary><c>apiextensions.k8s.io/v1 CustomResourceDefinition</c>.</summary>
public sealed class CustomResourceDefinition : KubernetesObject
{
    public CustomResourceDefinition()
    {
        ApiVersion = "apiextensions.k8s.io/v1";
        Kind = "CustomResourceDefinition";
    }

    public CustomResourceDefinitionSpec? Spec { get; set; }

    public CustomResourceDefinitionStatus? Status { get; set; }
}

public sealed class CustomResourceDefinitionSpec
{
    public string? Group { get; set; }

    public CustomResourceDefinitionNames? Names { get; set; }

    /// <summary><c>Namespaced</c> or <c>Cluster</c>.</summary>
    public string? Scope { get; set; }

    public List<CustomResourceDefinitionVersion> Versions { get; set; } = [];

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class CustomResourceDefinitionNames
{
    public string? Plural { get; set; }

    public string? Singular { get; set; }

    public string? Kind { get; set; }

    public string? ListKind { get; set; }

    public List<string>? ShortNames { get; set; }

    public List<string>? Categories { get; set; }
}

public sealed class CustomResourceDefinitionVersion
{
    public string? Name { get; set; }

    public bool Served { get; set; }

    public bool Storage { get; set; }

    public CustomResourceValidation? Schema { get; set; }

    public CustomResourceSubresources? Subresources { get; set; }

    public JsonArray? AdditionalPrinterColumns { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class CustomResourceValidation
{
    [JsonPropertyName("openAPIV3Schema")]
    public JsonObject? OpenAPIV3Schema { get; set; }
}

public sealed class CustomResourceSubresources
{
    /// <summary>Present (<c>{}</c>) to enable the <c>/status</c> subresource.</summary>
    public JsonObject? Status { get; set; }

    public JsonObject? Scale { get; set; }
}

public sealed class CustomResourceDefinitionStatus
{
    public List<CustomResourceDefinitionCondition>? Conditions { get; set; }

    public CustomResourceDefinitionNames? AcceptedNames { get; set; }

    public List<string>? StoredVersions { get; set; }
}

public sealed class CustomResourceDefinitionCondition
{
    /// <summary><c>Established</c>, <c>NamesAccepted</c>, ...</summary>
    public string? Type { get; set; }

    /// <summary><c>True</c>, <c>False</c>, <c>Unknown</c>.</summary>
    public string? Status { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }

    [JsonConverter(typeof(KubernetesTimeConverter))]
    public DateTimeOffset? LastTransitionTime { get; set; }
}
