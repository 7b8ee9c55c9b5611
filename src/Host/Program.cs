using EccoStudio.Host.Commands;
using EccoStudio.Host.Dev;

return await HostCommandLine.RunAsync(args, DevRunner.RunAsync, Console.Error);
