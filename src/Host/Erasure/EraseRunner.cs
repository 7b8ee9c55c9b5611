using EccoStudio.Host.Commands;
using EccoStudio.Host.Verify;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Erasure;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Store;
using Google;

namespace EccoStudio.Host.Erasure;

/// <summary>
/// Runs <c>erase</c>: refuses an entity with no objects (exit 2), writes a "started" erasure record, removes every
/// generation of the entity's objects (<see cref="EntityEraser"/>), completes the record. Idempotent: after a failure
/// (exit 3) the same command finishes the job. Exit codes: 0 erased, 2 nothing to erase / bad input, 3 could not finish,
/// 4 refused because object retention protects the entity's history (nothing deleted, no record written).
/// </summary>
public static class EraseRunner
{
    /// <summary>Exit code: a Locked object retention (or an Unlocked one without the override) protects the entity's history.</summary>
    public const int RetentionRefused = 4;

    public static Task<int> RunAsync(EraseSettings settings, CancellationToken cancellationToken) =>
        RunAsync(settings, Console.Out, Console.Error, cancellationToken);

    public static async Task<int> RunAsync(EraseSettings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var target = new EntityTarget(settings.Env, EntityCatalog.Get(settings.Entity), settings.Id);
        try
        {
            var schemas = settings.SchemasFolder ?? FolderSchemaSource.FindRepoSchemas();
            var context = VerifyRunner.CreateContext(new VerifySettings { Gcs = settings.Gcs, Bucket = settings.Bucket }, schemas);
            var store = (GcsObjectStore)context.Store;
            var eraser = new EntityEraser(context, store);
            if (!await eraser.HasObjectsAsync(target, cancellationToken))
            {
                await error.WriteLineAsync($"error: {target} has no objects in gs://{settings.Bucket} (unknown id, wrong entity, or already erased).");
                return HostCommandLine.BadUsage;
            }

            // Before the "started" record: an erasure that cannot happen leaves nothing behind (docs/recovery.md "erase").
            await eraser.CheckRetentionAsync(target, settings.OverrideUnlockedRetention, cancellationToken);

            var records = new ErasureRecords(context);
            var run = Ulid.NewUlid();
            var at = DateTimeOffset.UtcNow;
            await records.StartAsync(target, run, settings.Reason, settings.RequestedBy, at, cancellationToken);
            var report = await eraser.EraseAsync(target, settings.OverrideUnlockedRetention, cancellationToken);
            await records.CompleteAsync(target, run, settings.Reason, settings.RequestedBy, at, DateTimeOffset.UtcNow, report, cancellationToken);
            await output.WriteLineAsync($"erased {target}: {report.TotalVersions} object versions ({string.Join(", ", report.VersionsRemoved.Select(p => $"{p.Key} {p.Value}"))})" +
                (report.ShardsRewritten > 0 ? $"; {report.ShardsRewritten} manifest shard versions removed and the manifest compacted again" : string.Empty));
            await output.WriteLineAsync($"erasure record: gs://{settings.Bucket}/{ErasureRecords.Name(target, run)}");
            return 0;
        }
        catch (ErasureBlockedException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return RetentionRefused;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or GoogleApiException or PreconditionFailedException)
        {
            await error.WriteLineAsync($"error: erase of {target} could not finish: {e.Message.Split('\n', 2)[0].Trim()} (re-run the same command to finish)");
            return VerifyRunner.CouldNotRun;
        }
    }
}
