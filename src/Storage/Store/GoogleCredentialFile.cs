using System.Text.Json;
using Google.Apis.Auth.OAuth2;

namespace EccoStudio.Storage.Store;

/// <summary>
/// Loads the credential configuration a process is told to use (<c>Ecco:Storage:CredentialsFile</c>, else
/// <c>GOOGLE_APPLICATION_CREDENTIALS</c>): a service account key, or an <c>external_account</c> configuration for
/// workload identity federation (docs/operations.md "Workload identity federation"). Loading reads the file only; the
/// token exchange happens on the first request.
/// </summary>
/// <remarks>
/// Loaded here rather than through Google's application default credentials because those are cached once per
/// process, failures included: one bad file would poison every later client, and the error names neither the setting
/// nor what is wrong in a form an operator can act on.
/// </remarks>
public static class GoogleCredentialFile
{
    public const string EnvironmentVariable = "GOOGLE_APPLICATION_CREDENTIALS";

    // The configuration kinds Google.Apis.Auth builds; anything else is a typo or a file meant for another tool.
    private static readonly string[] KnownTypes =
    [
        JsonCredentialParameters.ExternalAccountCredentialType,
        JsonCredentialParameters.ServiceAccountCredentialType,
        JsonCredentialParameters.AuthorizedUserCredentialType,
        JsonCredentialParameters.ImpersonatedServiceAccountCredentialType,
        JsonCredentialParameters.ExternalAccountAuthorizedUserCredentialType,
    ];

    /// <summary>
    /// The configured file's credential, or null when neither <paramref name="credentialsFile"/> nor the environment
    /// names one (then the client library's own discovery applies: gcloud's well-known file, the metadata server).
    /// </summary>
    /// <exception cref="InvalidOperationException">The file is missing, not JSON, of an unknown type, or incomplete; the message names the setting, the path and the reason.</exception>
    public static GoogleCredential? Load(string? credentialsFile, Func<string, string?>? environment = null)
    {
        var (setting, path) = !string.IsNullOrWhiteSpace(credentialsFile)
            ? ("Ecco:Storage:CredentialsFile", credentialsFile)
            : (EnvironmentVariable, (environment ?? Environment.GetEnvironmentVariable)(EnvironmentVariable));
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Invalid(setting, path, $"cannot be read ({e.GetType().Name})", e);
        }

        var type = ReadType(json) ?? throw Invalid(setting, path, "is not a JSON object with a \"type\" field", null);
        if (!KnownTypes.Contains(type, StringComparer.Ordinal))
        {
            throw Invalid(setting, path, $"has type \"{type}\"; expected one of {string.Join(", ", KnownTypes)}", null);
        }

        try
        {
            return CredentialFactory.FromJson(json, type);
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or NotImplementedException or ArgumentException or FormatException)
        {
            // The library's reason ("does not represent a valid external account credential", "Unrecognized external
            // credential configuration") says which rule failed; the fields it needs are listed in docs/operations.md.
            throw Invalid(setting, path, $"is not a valid {type} configuration: {e.Message}", e);
        }
    }

    private static string? ReadType(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
                ? type.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static InvalidOperationException Invalid(string setting, string path, string reason, Exception? inner) =>
        new($"{setting} names {path}, which {reason}.", inner);
}
