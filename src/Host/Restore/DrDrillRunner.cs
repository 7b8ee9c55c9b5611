using System.Globalization;
using EccoStudio.Host.Commands;
using EccoStudio.Host.Verify;
using EccoStudio.Storage.Envelope;
using EccoStudio.Storage.Recovery;
using EccoStudio.Storage.Store;
using Google;
using Google.Cloud.Storage.V1;
using Microsoft.Extensions.DependencyInjection;

namespace EccoStudio.Host.Restore;

/// <summary>
/// Runs <c>dr-drill</c> (spec §13: "test restore from noncurrent versions quarterly"): copies every object of the env
/// as it was at T into a scratch bucket under the same names (so the copy is byte-identical and verifiable as is:
/// object names and manifest/pointer <c>ptr</c> fields carry the env path, so another prefix would not be), then runs
/// verify's checks over the scratch bucket. The live bucket is only listed and read.
/// Exit codes: 0 restored and clean, 1 drift or conflicts in the scratch bucket, 3 could not run.
/// </summary>
public static class DrDrillRunner
{
    public static Task<int> RunAsync(DrDrillSettings settings, CancellationToken cancellationToken) =>
        RunAsync(settings, Console.Out, Console.Error, !Console.IsErrorRedirected, cancellationToken);

    public static async Task<int> RunAsync(DrDrillSettings settings, TextWriter output, TextWriter error, bool interactive, CancellationToken cancellationToken)
    {
        var progress = new TerminalProgress(error, interactive);
        var asOf = settings.AsOf ?? DateTimeOffset.UtcNow;
        var scratch = settings.ScratchBucket ?? $"{settings.Bucket}-drill-{asOf.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}";
        try
        {
            using var services = CommandStorage.Create(settings.Gcs, settings.Bucket);
            var store = services.GetRequiredService<GcsObjectStore>();
            _ = await store.ListAsync(settings.Bucket, "env/", null, null, 1, cancellationToken); // live bucket reachable?
            var client = services.GetRequiredService<StorageClient>();
            var created = await ScratchBuckets.EnsureAsync(client, settings.Project, scratch, cancellationToken);
            await output.WriteLineAsync($"dr-drill: env {settings.Env} of gs://{settings.Bucket} as of {Rfc3339.Format(asOf)} → gs://{scratch}{(created ? " (created)" : string.Empty)}");

            var scope = new RestoreScope(settings.Env);
            var applier = new RestoreApplier(store, store);
            var tally = new RestoreTally();
            await Parallel.ForEachAsync(new RestorePlanner(store).PlanAsync(settings.Bucket, scope, asOf, cancellationToken),
                new ParallelOptions { MaxDegreeOfParallelism = settings.Parallelism, CancellationToken = cancellationToken },
                async (step, ct) =>
                {
                    tally.Plan(step);
                    tally.Applied(await applier.CopyToAsync(settings.Bucket, step, scratch, ct));
                    progress.Report(() => $"copying    {tally.Steps,10} objects, {tally.Outcome(RestoreOutcome.Copied)} copied");
                });
            progress.Done();
            var conflicts = tally.Outcome(RestoreOutcome.Conflict);
            await output.WriteLineAsync($"copied: {tally.Outcome(RestoreOutcome.Copied)} objects ({tally.Outcome(RestoreOutcome.Unchanged)} already there, {conflicts} conflicts); checking the copy:");
            var verified = await VerifyRunner.RunAsync(new VerifySettings
            {
                Env = settings.Env,
                Gcs = settings.Gcs,
                Bucket = scratch,
                SchemasFolder = settings.SchemasFolder,
            }, output, error, interactive, cancellationToken);
            await output.WriteLineAsync(verified == 0 && conflicts == 0
                ? $"dr-drill: passed; the restored copy is in gs://{scratch} (delete it when done)."
                : $"dr-drill: FAILED; inspect gs://{scratch}.");
            return conflicts > 0 ? RestoreRunner.NotClean : verified;
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
            await error.WriteLineAsync($"error: dr-drill could not finish: {e.Message.Split('\n', 2)[0].Trim()} (re-run with --scratch-bucket {scratch} to continue)");
            return VerifyRunner.CouldNotRun;
        }
    }
}
