using EccoStudio.GcsEmulator;
using EccoStudio.GcsEmulator.Hosting;

if (!EmulatorCommandLine.TryParse(args, out var options, out var error, out var help))
{
    await Console.Error.WriteLineAsync(error);
    return 2;
}

if (help)
{
    Console.WriteLine(EmulatorCommandLine.Usage);
    return 0;
}

GcsEmulatorServer server;
try
{
    server = await GcsEmulatorServer.StartAsync(options);
}
catch (IOException e)
{
    await Console.Error.WriteLineAsync($"gcs-emulator: cannot start on {options.Host}:{options.Port}: {e.Message}");
    return 1;
}
catch (UnauthorizedAccessException e)
{
    await Console.Error.WriteLineAsync($"gcs-emulator: cannot use the data directory: {e.Message}");
    return 1;
}

await using (server)
{
    var mode = options.DataDirectory is null ? "in memory" : $"data in {Path.GetFullPath(options.DataDirectory)}";
    Console.WriteLine($"GCS emulator listening on {server.BaseUri}");
    Console.WriteLine($"  {mode}; STORAGE_EMULATOR_HOST={server.HostAndPort}; Ctrl+C stops");
    await server.WaitForShutdownAsync();
}

return 0;
