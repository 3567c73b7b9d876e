using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Kuryr.Config.Options;

/// <summary><c>[DEFAULT]</c>: the oslo.log options Kuryr.Node honours. The other oslo.log and
/// kuryr-lib options of this section are accepted and ignored.</summary>
[KuryrSection("DEFAULT")]
public sealed class DefaultOptions
{
    [ConfigurationKeyName("debug")]
    [Description("Log at debug level.")]
    public bool Debug { get; set; }
}
