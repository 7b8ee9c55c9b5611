using EccoStudio.Engine;
using EccoStudio.Orchestrations.Composition;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Consistency;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Store;
using Google;
using Microsoft.Extensions.DependencyInjection;

namespace EccoStudio.Host.Verify;

/// <summary>
/// Runs <c>verify</c>: the consistency check over the bucket, and with <c>--repair</c> reconciles of the drifted
/// entities on a Durable Task engine embedded in this process (in-memory; the same ReconcileEntityOrchestrator and
/// activities as the hosts, CAS-only, so it is safe next to a running host), then checks again.
/// Exit codes: 0 no drift, 1 drift remains, 3 the check could not run (GCS unreachable, bucket missing).
/// </summary>
public static class VerifyRunner
{
    public const int Drift = 1;
    public const int CouldNotRun = 3;

    public static Task<int> RunAsync(VerifySettings settings, CancellationToken cancellationToken) =>
        RunAsync(settings, Console.Out, Console.Error, !Console.IsErrorRedirected, cancellationToken);

    public static async Task<int> RunAsync(VerifySettings settings, TextWriter output, TextWriter error, bool interactive, CancellationToken cancellationToken)
    {
        var progress = new TerminalProgress(error, interactive);
        try
        {
            var context = CreateContext(settings, settings.SchemasFolder ?? FolderSchemaSource.FindRepoSchemas());
            _ = await context.Store.ListAsync(settings.Bucket, "env/", null, null, 1, cancellationToken); // bucket reachable?

            var checker = new ConsistencyChecker(context, new ConsistencyCheckOptions { MaxReportedDifferences = settings.MaxDifferences });
            var kinds = settings.Entities.Count == 0 ? null : settings.Entities.Select(EntityCatalog.Get).ToList();
            var report = await checker.CheckAsync(settings.Env, kinds, progress, cancellationToken);
            progress.Done();
            await output.WriteLineAsync(report.Summary());
            if (report.IsConsistent || !settings.Repair)
            {
                return report.IsConsistent ? 0 : Drift;
            }

            await output.WriteLineAsync($"repair: reconciling {report.DriftedEntities.Count} drifted entities on an embedded engine…");
            var writePath = new WritePathOptions();
            await using var engine = await DurableEngine.StartAsync(new DurableEngineOptions(), r => WritePathTasks.Register(r, writePath),
                s => s.AddEccoStorage(settings.ApplyTo).AddEccoWritePath(writePath), cancellationToken: cancellationToken);
            var result = await ConsistencyRepair.RunAsync(checker, new DurableReconciler(engine.Client), settings.Env, kinds, report, settings.MaxRounds, progress,
                cancellationToken);
            progress.Done();
            await output.WriteLineAsync($"repair: {result.Reconciled} reconciles completed in {result.Rounds} round(s); after repair:");
            await output.WriteLineAsync(result.After.Summary());
            return result.After.IsConsistent ? 0 : Drift;
        }
        catch (GoogleApiException e) when (e.HttpStatusCode == System.Net.HttpStatusCode.NotFound)
        {
            progress.Done();
            await error.WriteLineAsync($"error: bucket '{settings.Bucket}' not found at {Where(settings)}.");
            return CouldNotRun;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or GoogleApiException or InvalidOperationException)
        {
            progress.Done();
            await error.WriteLineAsync($"error: verify could not read {Where(settings)}: {FirstLine(e.Message)}");
            return CouldNotRun;
        }
    }

    /// <summary>The storage model over the bucket the settings name (read-only use).</summary>
    public static StorageContext CreateContext(VerifySettings settings, string schemasFolder) =>
        StorageServiceCollectionExtensions.CreateContext(o =>
        {
            settings.ApplyTo(o);
            o.SchemasFolder = schemasFolder;
        });

    /// <summary>The object store over the endpoint (null = Google Cloud Storage with application default credentials).</summary>
    public static GcsObjectStore CreateStore(Uri? gcs) =>
        StorageServiceCollectionExtensions.CreateServices(o => o.EmulatorHost = gcs?.ToString()).GetRequiredService<GcsObjectStore>();

    private static string Where(VerifySettings settings) => settings.Gcs?.ToString() ?? "Google Cloud Storage";

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
