namespace EccoStudio.Provisioning;

/// <summary>Applying one resource failed; names it and keeps the API's error.</summary>
public sealed class ProvisioningException : Exception
{
    public ProvisioningException(string resource, Exception innerException)
        : base($"{resource}: {FirstLine(innerException.Message)}", innerException) => Resource = resource;

    public ProvisioningException()
    {
        Resource = string.Empty;
    }

    public ProvisioningException(string message)
        : base(message) => Resource = string.Empty;

    public string Resource { get; }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
