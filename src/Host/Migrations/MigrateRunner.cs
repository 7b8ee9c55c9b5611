using EccoStudio.Engine;
using EccoStudio.Host.Commands;
using EccoStudio.Host.Verify;
using EccoStudio.Orchestrations.Composition;
using EccoStudio.Orchestrations.Instances;
using EccoStudio.Orchestrations.Migrations;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Consistency;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Migrations;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Store;
using Google;
using Microsoft.DurableTask.Client;

namespace EccoStudio.Host.Migrations;

/// <summary>
/// Runs <c>migrate</c> (docs/schema-evolution.md): the checks the management route makes (the target is a published
/// version and the kind's latest: else exit 2, nothing written), then <see cref="MigrateSchemaOrchestrator"/> on a
/// Durable Task engine embedded in this process (in-memory, as <c>verify --repair</c> and <c>delete</c>: CAS-only,
/// safe next to a running host) with a progress line on a terminal, then the checks <c>verify</c> makes for the kind.
/// After a kill, run the same command again: it lists from the first page, finds what is done already at the target
/// (a read each, nothing rewritten) and finishes the rest. Exit codes: 0 migrated and verify clean, 1 entities failed
/// or drift remains (re-run), 2 bad input (nothing written), 3 GCS could not be reached.
/// </summary>
public static class MigrateRunner
{
    public const int NotClean = 1;

    public static Task<int> RunAsync(MigrateSettings settings, CancellationToken cancellationToken) =>
        RunAsync(settings, Console.Out, Console.Error, !Console.IsErrorRedirected, null, cancellationToken);

    /// <param name="writePath">Retry policy and the rest of the write path's options (null = defaults).</param>
    public static async Task<int> RunAsync(MigrateSettings settings, TextWriter output, TextWriter error, bool interactive, WritePathOptions? writePath,
        CancellationToken cancellationToken)
    {
        var kind = EntityCatalog.Get(settings.Entity);
        var to = SchemaVersion.Parse(settings.To);
        var verify = new VerifySettings
        {
            Env = settings.Env,
            Entities = [kind.Name],
            Gcs = settings.Gcs,
            Bucket = settings.Bucket,
            SchemasFolder = settings.SchemasFolder ?? FolderSchemaSource.FindRepoSchemas(),
        };
        var progress = new TerminalProgress(error, interactive);
        var where = $"gs://{settings.Bucket} ({settings.Gcs?.ToString() ?? "Google Cloud Storage"})";
        try
        {
            StorageContext context;
            try
            {
                context = VerifyRunner.CreateContext(verify, verify.SchemasFolder!);
            }
            catch (SchemaMigrationException e)
            {
                await error.WriteLineAsync($"error: the schemas folder's migrations cannot be used: {e.Message}");
                return HostCommandLine.BadUsage;
            }

            _ = await context.Store.ListAsync(settings.Bucket, "env/", null, null, 1, cancellationToken); // bucket reachable?
            var migrator = new SnapshotMigrator(context);
            MigrationChain chain;
            try
            {
                chain = await migrator.CheckTargetAsync(settings.Env, kind, to, cancellationToken);
            }
            catch (Exception e) when (e is MigrationTargetException or UnknownSchemaVersionException)
            {
                await error.WriteLineAsync($"error: {(e is UnknownSchemaVersionException ? $"--to {to}: no schema {kind.Name}/{to.FileName} ({e.Message})" : e.Message)} Nothing written.");
                return HostCommandLine.BadUsage;
            }

            var total = await CountAsync(migrator, settings.Env, kind, progress, cancellationToken);
            progress.Done();
            await output.WriteLineAsync($"migrate {settings.Env} {kind.Name} to {to} ({chain}) in {where}: {total} snapshots to check");

            writePath ??= new WritePathOptions();
            await using var engine = await DurableEngine.StartAsync(new DurableEngineOptions(), r => WritePathTasks.Register(r, writePath),
                s => s.AddEccoStorage(verify.ApplyTo).AddEccoWritePath(writePath), cancellationToken: cancellationToken);
            var instanceId = InstanceIds.Migration(settings.Env, kind, to.ToString());
            await engine.Client.TryStartOrchestrationAsync(nameof(MigrateSchemaOrchestrator), instanceId,
                new MigrateSchemaInput(settings.Env, kind.Name, to.ToString(), settings.RequestedBy, DateTimeOffset.UtcNow, settings.PageSize, settings.Parallelism),
                StartDedupe.RefuseUnlessFailedOrTerminated, cancellationToken);

            var done = await WaitAsync(engine.Client, instanceId, total, progress, cancellationToken);
            progress.Done();
            var status = 0;
            if (done.RuntimeStatus == OrchestrationRuntimeStatus.Completed)
            {
                var result = done.ReadOutputAs<MigrateSchemaResult>()!;
                await output.WriteLineAsync($"migrated: {result.Counts} in {result.Pages} page(s); manifest compacted; record gs://{settings.Bucket}/{result.Record}");
            }
            else
            {
                var last = done.ReadCustomStatusAs<MigrationProgress>();
                await error.WriteLineAsync($"error: {FirstLine(done.FailureDetails?.ErrorMessage ?? done.RuntimeStatus.ToString())}");
                if (last is not null)
                {
                    await output.WriteLineAsync($"migration ended {done.RuntimeStatus} at {last.Step}: {last.Counts}; run the same command again to finish.");
                }

                status = NotClean;
            }

            await output.WriteLineAsync($"checking {kind.Name} in {settings.Env} (verify):");
            var report = await new ConsistencyChecker(context).CheckAsync(settings.Env, [kind], progress, cancellationToken);
            progress.Done();
            await output.WriteLineAsync(report.Summary());
            return status == 0 && report.IsConsistent ? 0 : NotClean;
        }
        catch (GoogleApiException e) when (e.HttpStatusCode == System.Net.HttpStatusCode.NotFound)
        {
            progress.Done();
            await error.WriteLineAsync($"error: bucket '{settings.Bucket}' not found at {settings.Gcs?.ToString() ?? "Google Cloud Storage"}.");
            return VerifyRunner.CouldNotRun;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or GoogleApiException or PreconditionFailedException)
        {
            progress.Done();
            await error.WriteLineAsync($"error: migrate could not reach {where}: {FirstLine(e.Message)} (run the same command again to continue)");
            return VerifyRunner.CouldNotRun;
        }
    }

    private static async Task<int> CountAsync(SnapshotMigrator migrator, string env, EntityKind kind, TerminalProgress progress, CancellationToken cancellationToken)
    {
        var total = 0;
        string? token = null;
        do
        {
            var (ids, next) = await migrator.ListPageAsync(env, kind, token, 1000, cancellationToken);
            total += ids.Count;
            token = next;
            progress.Report(() => $"counting   {total,10} {kind.Prefix}");
        }
        while (token is not null);

        return total;
    }

    private static async Task<OrchestrationMetadata> WaitAsync(DurableTaskClient client, string instanceId, int total, TerminalProgress progress,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            var state = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken)
                ?? throw new InvalidOperationException($"Instance {instanceId} vanished.");
            if (state.IsCompleted)
            {
                return state;
            }

            if (state.ReadCustomStatusAs<MigrationProgress>() is { } now)
            {
                progress.Report(() =>
                    $"migrating  {now.Counts.Checked,8}/{total} checked, {now.Counts.Migrated} migrated, {now.Counts.Failed} failed ({now.Step}, page {now.Pages}, {now.Running} running)");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
