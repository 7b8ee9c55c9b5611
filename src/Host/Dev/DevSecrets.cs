using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace EccoStudio.Host.Dev;

/// <summary>
/// Where <c>dev</c> finds its API key without putting it on the command line (visible in <c>ps</c>): the
/// <c>--api-key</c> flag wins; else configuration (<c>Ecco__Api__ApiKey</c> in the environment); else a key file
/// (<c>--api-key-file</c> or <c>Ecco__Api__ApiKeyFile</c>: the first line, surrounding whitespace trimmed).
/// </summary>
public static class DevSecrets
{
    public const string ApiKeyKey = "Ecco:Api:ApiKey";
    public const string ApiKeyFileKey = "Ecco:Api:ApiKeyFile";

    /// <summary>The key in force, or null for none; an unreadable file or an unusable key is an error naming its source (never the key).</summary>
    public static string? ApiKey(DevSettings settings, IConfiguration configuration)
    {
        if (settings.ApiKey is { Length: > 0 } flag)
        {
            return flag;
        }

        if (configuration[ApiKeyKey] is { Length: > 0 } configured)
        {
            return Checked(configured, "Ecco:Api:ApiKey");
        }

        var file = settings.ApiKeyFile ?? configuration[ApiKeyFileKey];
        if (string.IsNullOrWhiteSpace(file))
        {
            return null;
        }

        string text;
        try
        {
            text = File.ReadLines(file).FirstOrDefault() ?? string.Empty;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"the API key file '{file}' cannot be read ({e.GetType().Name}).", e);
        }

        return Checked(text.Trim(), $"the API key file '{file}'");
    }

    /// <summary>A fresh per-process secret for the Pub/Sub bridge (32 random bytes, hex).</summary>
    public static string NewBridgeSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private static string Checked(string key, string source) =>
        key.Length >= 8 && key.All(c => c is > ' ' and <= '~')
            ? key
            : throw new InvalidOperationException($"{source} does not hold a usable API key (at least 8 visible ASCII characters).");
}
