namespace EccoStudio.Provisioning.Config;

/// <summary>The deployment config (file or flags) is not usable; the message is one line naming the field.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string message)
        : base(message)
    {
    }

    public ConfigException()
    {
    }

    public ConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
