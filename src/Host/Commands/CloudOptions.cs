using System.CommandLine;

namespace EccoStudio.Host.Commands;

/// <summary>
/// The options ops commands share to reach Google Cloud or the emulators: <c>--gcs ENDPOINT|production</c>,
/// <c>--pubsub HOST:PORT|URL|production</c> (default <c>PUBSUB_EMULATOR_HOST</c>, else 127.0.0.1:8085), <c>--project</c>,
/// <c>--bucket</c>. Each command gets its own instances (an option belongs to one command).
/// </summary>
public static class CloudOptions
{
    public const string Production = "production";

    public static Option<string> Gcs() => Checked(
        new Option<string>("--gcs") { Description = "GCS emulator endpoint, or 'production' for Google Cloud Storage", DefaultValueFactory = _ => "http://127.0.0.1:4443/" },
        value => value == Production || (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            ? null
            : $"--gcs '{value}' is not an http(s) URL or 'production'.");

    public static Option<string> PubSub() => Checked(
        new Option<string>("--pubsub")
        {
            Description = "Pub/Sub emulator HOST:PORT or URL, or 'production' (default: $PUBSUB_EMULATOR_HOST, else 127.0.0.1:8085)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PUBSUB_EMULATOR_HOST") is { Length: > 0 } host ? host : "127.0.0.1:8085",
        },
        value => value == Production || Uri.TryCreate(value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value, UriKind.Absolute, out var uri)
            && uri.Scheme is "http" or "https" && !string.IsNullOrEmpty(uri.Host)
            ? null
            : $"--pubsub '{value}' is not HOST:PORT, an http(s) URL or 'production'.");

    public static Option<string> Project(bool required) => Checked(
        new Option<string>("--project") { Description = "GCP project id", Required = required, DefaultValueFactory = required ? null : _ => "ecco-local" },
        value => value.Length is >= 4 and <= 30 && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            ? null
            : $"--project '{value}' is not a GCP project id (4-30 lowercase letters, digits, hyphens).");

    public static Option<string> Bucket(bool required) => Checked(
        new Option<string>("--bucket")
        {
            Description = "Bucket name",
            Required = required,
            DefaultValueFactory = required ? null : _ => Storage.Layout.StorageLayoutOptions.DefaultBucket,
        },
        value => value.Length is >= 3 and <= 63 && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.')
            ? null
            : $"--bucket '{value}' is not a valid bucket name.");

    /// <summary>null = production; otherwise the emulator endpoint with a trailing slash.</summary>
    public static Uri? GcsEndpoint(string value) => value == Production ? null : new Uri(value.EndsWith('/') ? value : value + "/");

    public static Option<T> Checked<T>(Option<T> option, Func<T, string?> check)
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 0)
            {
                return;
            }

            T value;
            try
            {
                value = result.GetValueOrDefault<T>();
            }
            catch (InvalidOperationException)
            {
                return; // the token does not convert: the parser already reports that as an error
            }

            if (value is not null && check(value) is { } error)
            {
                result.AddError(error);
            }
        });
        return option;
    }
}
