namespace Kuryr.Config.Options;

/// <summary>The value (or each list item) must be one of these, compared exactly as oslo does.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = true)]
public sealed class KuryrChoicesAttribute(params string[] choices) : Attribute
{
    public IReadOnlyList<string> Choices { get; } = choices;
}

/// <summary>Numeric range of an option. <see cref="Maximum"/> defaults to unbounded.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = true)]
public sealed class KuryrRangeAttribute(double minimum) : Attribute
{
    public double Minimum { get; } = minimum;

    public double Maximum { get; init; } = double.PositiveInfinity;

    /// <summary>When true the value must be strictly greater than <see cref="Minimum"/>.</summary>
    public bool MinimumExclusive { get; init; }

    /// <summary>A value that is always allowed besides the range (e.g. <c>-1</c> = off); NaN: none.</summary>
    public double AlsoAllowed { get; init; } = double.NaN;
}

/// <summary>Shape a string value (or each list item / dict value) must have.</summary>
public enum KuryrValueFormat
{
    /// <summary>A Neutron/Keystone resource UUID.</summary>
    Uuid,

    /// <summary><c>host:port</c> (IPv6 hosts in brackets).</summary>
    HostPort,

    /// <summary>An absolute file-system path.</summary>
    AbsolutePath,

    /// <summary>An absolute <c>http</c> or <c>https</c> URL.</summary>
    HttpUrl,

    /// <summary>The start of a Linux interface name (1-12 characters, no '/', ':' or whitespace).</summary>
    InterfaceNamePrefix,

    /// <summary>A Linux interface name (1-15 characters, no '/', ':' or whitespace).</summary>
    InterfaceName,

    /// <summary>A Neutron tag (1-60 characters, no ',' or '/').</summary>
    NeutronTag,

    /// <summary>A non-empty name without whitespace.</summary>
    Token,
}

/// <summary>Format of a string value; when <see cref="AllowEmpty"/> an empty value is always allowed.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = true)]
public sealed class KuryrFormatAttribute(KuryrValueFormat format) : Attribute
{
    public KuryrValueFormat Format { get; } = format;

    public bool AllowEmpty { get; init; }
}

/// <summary>A secret: never printed in messages or logs.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = true)]
public sealed class KuryrSecretAttribute : Attribute
{
}

/// <summary>An older name of the option in the same section (oslo <c>deprecated_name</c>); it is
/// still read, with a deprecation warning.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = true, Inherited = true)]
public sealed class KuryrDeprecatedNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>The option itself is deprecated (oslo <c>deprecated_for_removal</c>): setting it warns
/// "deprecated {reason}".</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = true)]
public sealed class KuryrDeprecatedAttribute(string reason) : Attribute
{
    public string Reason { get; } = reason;
}

/// <summary>The option is Kuryr.Node's own (Kuryr has no such option, or hard-coded the value).</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = true)]
public sealed class KuryrNodeOptionAttribute : Attribute
{
}
