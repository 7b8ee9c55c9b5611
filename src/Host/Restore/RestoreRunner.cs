using EccoStudio.Host.Verify;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Manifests;
using EccoStudio.Storage.Recovery;
using EccoStudio.Storage.Store;
using Google;

namespace EccoStudio.Host.Restore;

/// <summary>
/// Runs <c>restore</c>: plans from object versions (counts by kind and action), and with <c>--apply</c> plans again
/// while writing each step with preconditions (a concurrent writer's object is left alone and counted), then
/// rebuilds derived objects and checks the result exactly as <c>verify --repair</c> does (docs/recovery.md).
/// Exit codes: 0 plan printed / restored and clean, 1 conflicts or drift remain (re-run), 3 could not run.
/// </summary>
public static class RestoreRunner
{
    public const int NotClean = 1;

    public static Task<int> RunAsync(RestoreSettings settings, CancellationToken cancellationToken) =>
        RunAsync(settings, Console.Out, Console.Error, !Console.IsErrorRedirected, cancellationToken);

    public static async Task<int> RunAsync(RestoreSettings settings, TextWriter output, TextWriter error, bool interactive, CancellationToken cancellationToken)
    {
        var progress = new TerminalProgress(error, interactive);
        try
        {
            var store = VerifyRunner.CreateStore(settings.Gcs);
            _ = await store.ListAsync(settings.Bucket, "env/", null, null, 1, cancellationToken); // bucket reachable?
            var scope = new RestoreScope(settings.Env, settings.Entity is { } entity ? EntityCatalog.Get(entity) : null, settings.Id);
            var planner = new RestorePlanner(store);

            var plan = new RestoreTally();
            await foreach (var step in planner.PlanAsync(settings.Bucket, scope, settings.AsOf, cancellationToken))
            {
                plan.Plan(step);
                progress.Report(() => $"planning   {plan.Steps,10} objects, {plan.Changes} to write");
            }

            progress.Done();
            await output.WriteLineAsync($"restore plan: {scope} as of {Rfc3339.Format(settings.AsOf)}: {plan.Steps} objects, {plan.Changes} to write");
            await output.WriteLineAsync(plan.PlanTable());
            if (!settings.Apply)
            {
                await output.WriteLineAsync("plan only: nothing written (add --apply to restore).");
                return 0;
            }

            var applier = new RestoreApplier(store, store);
            var applied = new RestoreTally();
            await Parallel.ForEachAsync(planner.PlanAsync(settings.Bucket, scope, settings.AsOf, cancellationToken),
                new ParallelOptions { MaxDegreeOfParallelism = settings.Parallelism, CancellationToken = cancellationToken },
                async (step, ct) =>
                {
                    applied.Plan(step);
                    applied.Applied(await applier.ApplyAsync(settings.Bucket, step, ct));
                    progress.Report(() => $"restoring  {applied.Steps,10} objects, {applied.Outcome(RestoreOutcome.Copied)} copied back, {applied.Outcome(RestoreOutcome.Removed)} removed");
                });
            progress.Done();
            var conflicts = applied.Outcome(RestoreOutcome.Conflict);
            await output.WriteLineAsync($"applied: {applied.Outcome(RestoreOutcome.Copied)} copied back, {applied.Outcome(RestoreOutcome.Removed)} removed, " +
                $"{applied.Outcome(RestoreOutcome.Unchanged)} kept, {conflicts} changed by a concurrent writer since the plan (left as they are)");

            var context = VerifyRunner.CreateContext(new VerifySettings { Gcs = settings.Gcs, Bucket = settings.Bucket },
                settings.SchemasFolder ?? Storage.Schemas.FolderSchemaSource.FindRepoSchemas());
            foreach (var manifestKind in scope.Kind is { } only ? [only] : EntityCatalog.All)
            {
                if (await new ManifestCompactor(context).RepairMissingShardsAsync(settings.Env, manifestKind, cancellationToken) is { } compaction)
                {
                    await output.WriteLineAsync($"manifest of {manifestKind.Name} named a shard that is gone (erased, or deleted after T): compacted again ({compaction})");
                }
            }

            await output.WriteLineAsync("rebuilding derived objects and checking (verify --repair):");
            var verified = await VerifyRunner.RunAsync(new VerifySettings
            {
                Env = settings.Env,
                Entities = settings.Entity is { } kind ? [kind] : [],
                Repair = true,
                Gcs = settings.Gcs,
                Bucket = settings.Bucket,
                SchemasFolder = settings.SchemasFolder,
            }, output, error, interactive, cancellationToken);
            if (conflicts > 0)
            {
                await output.WriteLineAsync($"restore: {conflicts} objects were changed by a writer while restoring; stop writers and re-run the same command.");
                return NotClean;
            }

            return verified;
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
            await error.WriteLineAsync($"error: restore could not finish against {settings.Gcs?.ToString() ?? "Google Cloud Storage"}: {e.Message.Split('\n', 2)[0].Trim()} (re-run to continue)");
            return VerifyRunner.CouldNotRun;
        }
    }
}
