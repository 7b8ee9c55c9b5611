using EccoStudio.Engine;
using EccoStudio.Host.Commands;
using EccoStudio.Host.Verify;
using EccoStudio.Orchestrations.Composition;
using EccoStudio.Orchestrations.Deletes;
using EccoStudio.Orchestrations.Instances;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Store;
using EccoStudio.Storage.Writes;
using Google;
using Microsoft.DurableTask.Client;

namespace EccoStudio.Host.Deletes;

/// <summary>
/// Runs <c>delete</c>: the checks the HTTP DELETE makes before it starts anything (the entity has a snapshot, at the
/// <c>--if-match</c> generation when given), then the same <see cref="DeleteEntityOrchestrator"/> and activities on a
/// Durable Task engine embedded in this process (in-memory, as <c>verify --repair</c>: CAS-only, safe next to a
/// running host), waited for to its end (docs/api.md, "Delete"). Exit codes: 0 deleted, 1 the delete failed and was
/// compensated (the entity is as it was), 2 bad input / nothing to delete / If-Match does not hold (nothing written),
/// 3 GCS could not be reached.
/// </summary>
public static class DeleteRunner
{
    public const int Compensated = 1;

    public static Task<int> RunAsync(DeleteSettings settings, CancellationToken cancellationToken) =>
        RunAsync(settings, Console.Out, Console.Error, null, cancellationToken);

    /// <param name="writePath">Retry policy and the rest of the write path's options (null = defaults).</param>
    public static async Task<int> RunAsync(DeleteSettings settings, TextWriter output, TextWriter error, WritePathOptions? writePath, CancellationToken cancellationToken)
    {
        var target = new EntityTarget(settings.Env, EntityCatalog.Get(settings.Entity), settings.Id);
        var verify = new VerifySettings { Gcs = settings.Gcs, Bucket = settings.Bucket, SchemasFolder = settings.SchemasFolder ?? FolderSchemaSource.FindRepoSchemas() };
        try
        {
            var context = VerifyRunner.CreateContext(verify, verify.SchemasFolder!);
            var current = await new EntityReader(context).GetSnapshotAsync(target, cancellationToken);
            if (current is null)
            {
                await error.WriteLineAsync($"error: {target} does not exist in gs://{settings.Bucket} (no snapshot): nothing to delete.");
                return HostCommandLine.BadUsage;
            }

            if (settings.IfMatch is { } expected && expected != current.Generation)
            {
                await error.WriteLineAsync($"error: --if-match {expected} does not hold: {target} is at generation {current.Generation}; nothing written.");
                return HostCommandLine.BadUsage;
            }

            writePath ??= new WritePathOptions();
            await using var engine = await DurableEngine.StartAsync(new DurableEngineOptions(), r => WritePathTasks.Register(r, writePath),
                s => s.AddEccoStorage(verify.ApplyTo).AddEccoWritePath(writePath), cancellationToken: cancellationToken);
            var instanceId = InstanceIds.Delete(target, null);
            await engine.Client.TryStartOrchestrationAsync(nameof(DeleteEntityOrchestrator), instanceId,
                new DeleteEntityInput(target.Env, target.Kind.Name, target.Id, DateTimeOffset.UtcNow, settings.IfMatch, settings.DeletedBy),
                StartDedupe.RefuseIfExists, cancellationToken);
            var done = await engine.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
            if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
            {
                await error.WriteLineAsync($"error: {FirstLine(done.FailureDetails?.ErrorMessage ?? done.RuntimeStatus.ToString())}");
                return Compensated;
            }

            var result = done.ReadOutputAs<DeleteEntityResult>()!;
            await output.WriteLineAsync($"deleted {target}: tombstone gs://{settings.Bucket}/{result.Tombstone}; snapshot {(result.SnapshotRemoved ? "removed" : "absent")}, " +
                $"manifest entry {(result.ManifestEntryRemoved ? "removed" : "absent")}, {result.IndexWrites} pointer write(s)");
            return 0;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or GoogleApiException or PreconditionFailedException)
        {
            await error.WriteLineAsync($"error: delete of {target} could not reach gs://{settings.Bucket}: {FirstLine(e.Message)}");
            return VerifyRunner.CouldNotRun;
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
