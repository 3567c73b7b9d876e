namespace Kuryr.Config.Options;

/// <summary>
/// Names the <c>kuryr.conf</c> section an options class is read from. Properties carry
/// <see cref="Microsoft.Extensions.Configuration.ConfigurationKeyNameAttribute"/> with Kuryr's
/// option name (for example <c>ports_pool_min</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class KuryrSectionAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
