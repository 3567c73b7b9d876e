namespace Kuryr.Agent.Binding;

/// <summary>A VIF could not be plugged: bad VIF data (the message names the field) or a refusal by the kernel or OVS (the inner exception).</summary>
public sealed class VifBindingException : Exception
{
    public VifBindingException()
    {
    }

    public VifBindingException(string message)
        : base(message)
    {
    }

    public VifBindingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
