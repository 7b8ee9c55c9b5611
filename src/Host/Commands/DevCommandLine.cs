using System.CommandLine;
using System.Globalization;
using EccoStudio.Host.Dev;
using EccoStudio.Storage.Naming;

namespace EccoStudio.Host.Commands;

/// <summary>
/// <c>dev [--port 7071] [--gcs-port 4443 | --gcs-emulator URL] [--data ./.ecco] [--durable inmemory|azurite[=CONN]]
/// [--worker-id ID] [--no-recovery] [--pubsub-emulator HOST:PORT] [--api-key KEY | --api-key-file PATH] [--env dev[,prod]]</c> (key and token switch
/// also from the environment: <c>Ecco__Api__ApiKey</c>, <c>Ecco__Api__ApiKeyFile</c>, <c>Ecco__PubSub__VerifyToken</c>) → <see cref="DevSettings"/>.
/// </summary>
public static class DevCommandLine
{
    public static Option<int> Port { get; } = PortOption("--port", 7071, "HTTP port of the API (0 = any free port)");

    public static Option<int> GcsPort { get; } = PortOption("--gcs-port", 4443, "Port of the embedded GCS emulator (0 = any free port)");

    public static Option<string> Data { get; } = new("--data") { Description = "Data directory (GCS objects under DATA/gcs)", DefaultValueFactory = _ => "./.ecco" };

    public static Option<string> Durable { get; } = Validated(
        new Option<string>("--durable") { Description = "Engine backend: inmemory, azurite (starts its own Azurite, data under DATA/azurite), or azurite=CONNECTION_STRING", DefaultValueFactory = _ => "inmemory" },
        value => value == "inmemory" || value == "azurite" || (value.StartsWith("azurite=", StringComparison.Ordinal) && value.Length > "azurite=".Length)
            ? null
            : $"--durable '{value}' is not valid: use inmemory, azurite, or azurite=CONNECTION_STRING.");

    public static Option<string?> GcsEmulator { get; } = Validated(
        new Option<string?>("--gcs-emulator") { Description = "Use this running GCS emulator (e.g. another dev's http://127.0.0.1:4443/) instead of embedding one: several workers share one bucket" },
        value => Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.IsLoopback
            ? null
            : $"--gcs-emulator '{value}' is not a loopback http(s) URL (e.g. http://127.0.0.1:4443/).");

    public static Option<string?> WorkerId { get; } = Validated(
        new Option<string?>("--worker-id") { Description = "Durable worker id (default: host name and process id, unique per process)" },
        value => value!.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? null
            : $"--worker-id '{value}' must be 1–64 letters, digits, '-', '_' or '.'.");

    public static Option<bool> NoRecovery { get; } = new("--no-recovery")
    {
        Description = "In-memory engine: skip the startup sweep that completes writes whose history landed before a restart",
    };

    public static Option<string?> PubSubEmulator { get; } = Validated(
        new Option<string?>("--pubsub-emulator") { Description = "HOST:PORT of a Pub/Sub emulator: wires GCS notifications → topic → push → bridge" },
        value => IsHostPort(value!) ? null : $"--pubsub-emulator '{value}' is not HOST:PORT (e.g. 127.0.0.1:8085).");

    public static Option<string?> ApiKey { get; } = Validated(
        new Option<string?>("--api-key") { Description = "Require this key (x-api-key header) on every route except health and the bridge" },
        value => value!.Length >= 8 && value.All(c => c is > ' ' and <= '~') ? null : "--api-key must be at least 8 visible ASCII characters.");

    public static Option<string?> ApiKeyFile { get; } = new("--api-key-file")
    {
        Description = "Read the API key from this file's first line (keeps it out of ps; the environment's Ecco__Api__ApiKey works too)",
    };

    public static Option<string> Env { get; } = Validated(
        new Option<string>("--env") { Description = "Environment(s) to serve, comma-separated (dev, stg, prod)", DefaultValueFactory = _ => "dev" },
        value => Envs(value).All(e => Identifiers.Environments.Contains(e, StringComparer.Ordinal)) && Envs(value).Length > 0
            ? null
            : $"--env '{value}' is not valid: use dev, stg, prod (comma-separated).");

    public static Command Create(Func<DevSettings, CancellationToken, Task<int>> run)
    {
        var command = new Command("dev", "Run the local stack: GCS emulator, Durable Task engine and the HTTP API in one process")
        {
            Port, GcsPort, GcsEmulator, Data, Durable, WorkerId, NoRecovery, PubSubEmulator, ApiKey, ApiKeyFile, Env,
        };
        command.SetAction((result, cancellationToken) => run(ToSettings(result), cancellationToken));
        return command;
    }

    public static DevSettings ToSettings(ParseResult result)
    {
        var durable = result.GetValue(Durable) ?? "inmemory";
        return new DevSettings
        {
            Port = result.GetValue(Port),
            GcsPort = result.GetValue(GcsPort),
            DataDirectory = result.GetValue(Data) ?? "./.ecco",
            AzuriteConnection = durable.StartsWith("azurite=", StringComparison.Ordinal) ? durable["azurite=".Length..] : null,
            StartAzurite = durable == "azurite",
            GcsEmulator = result.GetValue(GcsEmulator) is { } gcs ? new Uri(gcs.EndsWith('/') ? gcs : gcs + "/") : null,
            WorkerId = result.GetValue(WorkerId),
            Recovery = !result.GetValue(NoRecovery),
            PubSubEmulator = result.GetValue(PubSubEmulator),
            ApiKey = result.GetValue(ApiKey),
            ApiKeyFile = result.GetValue(ApiKeyFile),
            Environments = Envs(result.GetValue(Env) ?? "dev"),
        };
    }

    private static string[] Envs(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToArray();

    private static bool IsHostPort(string value)
    {
        var colon = value.LastIndexOf(':');
        return colon > 0 && int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535;
    }

    private static Option<int> PortOption(string name, int fallback, string description) => Validated(
        new Option<int>(name) { Description = description, DefaultValueFactory = _ => fallback },
        value => value is >= 0 and <= 65535 ? null : $"{name} {value} is not a port (0..65535).");

    private static Option<T> Validated<T>(Option<T> option, Func<T, string?> check)
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 0)
            {
                return;
            }

            T? value;
            try
            {
                value = result.GetValueOrDefault<T>();
            }
            catch (InvalidOperationException)
            {
                return; // not convertible: the parser reports that error itself
            }

            if (value is not null && check(value) is { } error)
            {
                result.AddError(error);
            }
        });
        return option;
    }
}
