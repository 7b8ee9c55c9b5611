using System.Globalization;

namespace EccoStudio.GcsEmulator.Hosting;

/// <summary>Parses the program's flags into <see cref="GcsEmulatorOptions"/>.</summary>
public static class EmulatorCommandLine
{
    public const string Usage =
        "usage: GcsEmulator [--port N] [--host ADDR] (--data DIR | --in-memory) [--project ID] [--pubsub-emulator HOST:PORT]\n"
        + "                   [--fault-503 RATE] [--fault-429 RATE] [--fault-drop RATE] [--latency-ms MS] [--latency-rate RATE]\n"
        + "                   [--fault-method METHOD] [--fault-prefix PREFIX] [--fault-seed N] [--mutation-limit]\n"
        + "                   [--max-body-mb N] [--allow-remote-hosts]";

    public static bool TryParse(IReadOnlyList<string> args, out GcsEmulatorOptions options, out string error, out bool help)
    {
        options = new GcsEmulatorOptions { Port = 4443 };
        error = string.Empty;
        help = false;
        var inMemory = false;
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            string Value()
            {
                if (i + 1 >= args.Count)
                {
                    throw new FormatException($"{flag} needs a value");
                }

                return args[++i];
            }

            double Rate()
            {
                var v = Value();
                return double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && r is >= 0 and <= 1
                    ? r
                    : throw new FormatException($"{flag} needs a rate between 0 and 1, got '{v}'");
            }

            int Int(int min, int max)
            {
                var v = Value();
                return int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                    ? n
                    : throw new FormatException($"{flag} needs a whole number between {min} and {max}, got '{v}'");
            }

            try
            {
                switch (flag)
                {
                    case "--help" or "-h":
                        help = true;
                        break;
                    case "--port":
                        options.Port = Int(0, 65535);
                        break;
                    case "--host":
                        options.Host = Value();
                        if (options.Host != "localhost" && !System.Net.IPAddress.TryParse(options.Host, out _))
                        {
                            throw new FormatException($"--host needs an IP address or localhost, got '{options.Host}'");
                        }

                        break;
                    case "--data":
                        options.DataDirectory = Value();
                        break;
                    case "--in-memory":
                        inMemory = true;
                        break;
                    case "--project":
                        options.ProjectId = Value();
                        break;
                    case "--pubsub-emulator":
                        options.PubSubEmulatorHost = Value();
                        break;
                    case "--fault-503":
                        options.Faults.Rate503 = Rate();
                        break;
                    case "--fault-429":
                        options.Faults.Rate429 = Rate();
                        break;
                    case "--fault-drop":
                        options.Faults.RateDrop = Rate();
                        break;
                    case "--latency-rate":
                        options.Faults.LatencyRate = Rate();
                        break;
                    case "--latency-ms":
                        options.Faults.LatencyMs = Int(0, 600_000);
                        if (options.Faults.LatencyRate == 0)
                        {
                            options.Faults.LatencyRate = 1;
                        }

                        break;
                    case "--fault-method":
                        options.Faults.Method = Value().ToUpperInvariant();
                        break;
                    case "--fault-prefix":
                        options.Faults.ObjectPrefix = Value();
                        break;
                    case "--fault-seed":
                        options.Faults.Seed = Int(int.MinValue, int.MaxValue);
                        break;
                    case "--max-body-mb":
                        options.MaxRequestBodyBytes = Int(1, 1024 * 1024) * 1024L * 1024;
                        break;
                    case "--allow-remote-hosts":
                        options.AllowRemoteHosts = true;
                        break;
                    case "--mutation-limit":
                        options.Faults.PerObjectMutationLimit = true;
                        break;
                    default:
                        error = $"gcs-emulator: unknown option '{flag}' (try --help)";
                        return false;
                }
            }
            catch (FormatException e)
            {
                error = $"gcs-emulator: {e.Message}";
                return false;
            }
        }

        if (inMemory && options.DataDirectory is not null)
        {
            error = "gcs-emulator: --data and --in-memory exclude each other";
            return false;
        }

        return true;
    }
}
