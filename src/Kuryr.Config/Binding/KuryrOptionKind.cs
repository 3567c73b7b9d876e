namespace Kuryr.Config.Binding;

/// <summary>oslo.config option types Kuryr.Node uses.</summary>
public enum KuryrOptionKind
{
    /// <summary><c>StrOpt</c>.</summary>
    StrOpt,

    /// <summary><c>IntOpt</c>/<c>PortOpt</c>.</summary>
    IntOpt,

    /// <summary><c>FloatOpt</c>.</summary>
    FloatOpt,

    /// <summary><c>BoolOpt</c>: true/false, yes/no, on/off, 1/0 (any case).</summary>
    BoolOpt,

    /// <summary><c>ListOpt</c>: comma-separated, items trimmed.</summary>
    ListOpt,

    /// <summary><c>DictOpt</c>: <c>key:value</c> pairs separated by commas.</summary>
    DictOpt,
}
