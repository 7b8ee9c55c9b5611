using System.CommandLine;
using EccoStudio.Host.Dev;

namespace EccoStudio.Host.Commands;

/// <summary>The program's commands; bad input is one readable line on stderr and exit code 2.</summary>
public static class HostCommandLine
{
    public const int BadUsage = 2;

    public static RootCommand Create(Func<DevSettings, CancellationToken, Task<int>> dev) =>
        new("EccoStudio local host")
        {
            DevCommandLine.Create(dev),
            Verify.VerifyCommandLine.Create(Verify.VerifyRunner.RunAsync),
            Provision.ProvisionCommandLine.Create(Provision.ProvisionRunner.RunAsync),
            Schemas.SchemasCommandLine.Create(Schemas.SchemasPublishRunner.RunAsync),
            Dlq.DlqCommandLine.Create(Dlq.DlqReplayRunner.RunAsync),
            Restore.RestoreCommandLine.CreateRestore(Restore.RestoreRunner.RunAsync),
            Restore.RestoreCommandLine.CreateDrill(Restore.DrDrillRunner.RunAsync),
            Erasure.EraseCommandLine.Create(Erasure.EraseRunner.RunAsync),
            Deletes.DeleteCommandLine.Create(Deletes.DeleteRunner.RunAsync),
            Migrations.MigrateCommandLine.Create(Migrations.MigrateRunner.RunAsync),
            Analytics.AnalyticsCommandLine.Create(),
        };

    public static async Task<int> RunAsync(string[] args, Func<DevSettings, CancellationToken, Task<int>> dev, TextWriter error)
    {
        var root = Create(dev);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            await error.WriteLineAsync($"error: {parsed.Errors[0].Message} (see --help)");
            return BadUsage;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });
    }
}
