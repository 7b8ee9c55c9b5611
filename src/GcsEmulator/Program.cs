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

await using var server = await GcsEmulatorServer.StartAsync(options);
Console.WriteLine($"GCS emulator listening on {server.BaseUri}");
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
    // Ctrl+C
}

return 0;
