using EccoStudio.Activities.Migrations;
using EccoStudio.Activities.Ops;
using EccoStudio.Orchestrations.Compaction;
using EccoStudio.Orchestrations.Composition;
using EccoStudio.Orchestrations.Instances;
using EccoStudio.Orchestrations.Steps;
using EccoStudio.Storage.Catalog;
using EccoStudio.Telemetry;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace EccoStudio.Orchestrations.Migrations;

/// <summary>
/// Input of a migration: env, entity kind (envelope name), target version, who asked and when; entities per page
/// (<see cref="PageSize"/>: the activities one page runs at once) and pages at once (<see cref="Parallelism"/>).
/// <see cref="Cursor"/> is set by the orchestration itself when it continues as new.
/// </summary>
public sealed record MigrateSchemaInput(string Env, string Entity, string To, string RequestedBy, DateTimeOffset At, int PageSize = 50, int Parallelism = 4)
{
    public MigrationCursor? Cursor { get; init; }
}

/// <summary>Where a migration is: its run id and chain, the page token to list next, pages done, counts, failures so far (bounded).</summary>
public sealed record MigrationCursor(string Run, string Chain, string? PageToken, int Pages, MigrationCounts Counts, IReadOnlyList<MigrationFailure> Failures);

/// <summary>What a completed migration did.</summary>
public sealed record MigrateSchemaResult(string Run, string Chain, int Pages, MigrationCounts Counts, string Record, bool ManifestCompacted);

/// <summary>The custom status while a migration runs (what <c>migrate</c> prints as progress and ops see on the instance).</summary>
public sealed record MigrationProgress(string Step, string? Run, int Pages, MigrationCounts Counts, int Running, string? LastError = null);

/// <summary>
/// Rewrites every snapshot of one env + entity kind at the target schema version (docs/schema-evolution.md,
/// "migrate"), history untouched: check the target (nothing is written when it is refused) → "started" record →
/// the kind's snapshots page by page (<see cref="ListMigrationPageActivity"/>), each page a
/// <see cref="MigrateSchemaPageOrchestrator"/> (instance <c>{parent}:{run}:p{n}</c>), at most
/// <see cref="MigrateSchemaInput.Parallelism"/> pages at once → manifest compaction (the compaction path's
/// <see cref="CompactManifestOrchestrator"/>, so the shards list the migrated entries) → final record.
/// <para>Durable and resumable: the instance id is <see cref="InstanceIds.Migration"/> (env, kind, target), started
/// with dedupe, so asking again while it runs finds it, and a restarted host continues it where its history stops;
/// every <see cref="PagesPerExecution"/> pages it continues as new with the page token, keeping its history small.
/// A run started afresh (a new process, a failed run started again) re-lists from the first page: entities already at
/// the target cost a read and a check of their derived objects, nothing is rewritten.</para>
/// <para>Entities that fail for good (after the write path's retries) do not stop the others; the run then ends
/// Failed naming them (with a <c>migrate-failed</c> ops record), after compaction and the final record. Every entity is
/// either migrated with its derived objects or left as it was (a failed attempt changes only objects that already
/// follow the stored snapshot), and starting the migration again finishes it.</para>
/// </summary>
public sealed partial class MigrateSchemaOrchestrator(WritePathOptions options) : TaskOrchestrator<MigrateSchemaInput, MigrateSchemaResult>
{
    /// <summary>Pages one execution runs before it continues as new.</summary>
    public const int PagesPerExecution = 32;

    /// <summary>Failures kept in the cursor and result (the count is exact; the list is for the record).</summary>
    public const int MaxFailuresKept = 50;

    /// <summary>Retries of every migration step: the write path's policy, transient failures only.</summary>
    public static TaskOptions Retry(WritePathOptions options) =>
        TaskOptions.FromRetryPolicy(new RetryPolicy(
            Math.Max(1, options.Retry.MaxAttempts),
            options.Retry.FirstRetryInterval,
            options.Retry.BackoffCoefficient,
            options.Retry.MaxRetryInterval)
        {
            HandleFailure = StepFailures.IsTransient,
        });

    public override async Task<MigrateSchemaResult> RunAsync(TaskOrchestrationContext context, MigrateSchemaInput input)
    {
        var logger = context.CreateReplaySafeLogger<MigrateSchemaOrchestrator>();
        var kind = EntityCatalog.Get(input.Entity);
        var retry = Retry(options);
        var cursor = input.Cursor;
        var step = "check";
        try
        {
            if (cursor is null)
            {
                context.SetCustomStatus(new MigrationProgress(step, null, 0, MigrationCounts.Empty, 0));
                var chain = await context.CallActivityAsync<string>(nameof(CheckMigrationTargetActivity),
                    new CheckMigrationTargetInput(input.Env, kind.Name, input.To), retry);
                var run = DeterministicUlid.Create(context.CurrentUtcDateTime, context.NewGuid()).ToString();
                step = "record-started";
                await context.CallActivityAsync<string>(nameof(RecordMigrationActivity), Record(context, input, run, "started", 0, MigrationCounts.Empty, []), retry);
                cursor = new MigrationCursor(run, chain, null, 0, MigrationCounts.Empty, []);
                LogStarted(logger, input.Env, kind.Name, input.To, run, chain);
            }

            step = "pages";
            var (next, done) = await RunPagesAsync(context, input, cursor, retry);
            cursor = next;
            if (!done)
            {
                context.ContinueAsNew(input with { Cursor = cursor });
                return new MigrateSchemaResult(cursor.Run, cursor.Chain, cursor.Pages, cursor.Counts, string.Empty, false);
            }

            step = "compaction";
            context.SetCustomStatus(new MigrationProgress(step, cursor.Run, cursor.Pages, cursor.Counts, 0));
            var compaction = await context.CallSubOrchestratorAsync<CompactManifestResult>(nameof(CompactManifestOrchestrator),
                new CompactManifestInput(input.Env, kind.Name), new SubOrchestrationOptions { InstanceId = InstanceIds.MigrationCompaction(context.InstanceId, cursor.Run) });

            var failed = cursor.Counts.Failed > 0;
            step = "record";
            var record = await context.CallActivityAsync<string>(nameof(RecordMigrationActivity),
                Record(context, input, cursor.Run, failed ? "failed" : "completed", cursor.Pages, cursor.Counts, cursor.Failures) with { EndedAt = context.CurrentUtcDateTime },
                retry);
            if (failed)
            {
                var ids = string.Join(", ", cursor.Failures.Take(5).Select(f => $"{f.Id} ({f.Error})"));
                var error = $"{cursor.Counts.Failed} {kind.Name} entities could not be migrated: {ids}{(cursor.Counts.Failed > 5 ? ", …" : string.Empty)}";
                await RecordFailureAsync(context, input, "entities", error, retry);
                context.SetCustomStatus(new MigrationProgress("failed", cursor.Run, cursor.Pages, cursor.Counts, 0, error));
                LogFailed(logger, input.Env, kind.Name, input.To, "entities", error);
                throw new MigrationFailedException(
                    $"Migration of {input.Env} {kind.Name} to {input.To} ended with {cursor.Counts}; {error}. The others are migrated; start the migration again to finish (record {record}).");
            }

            context.SetCustomStatus(new MigrationProgress("completed", cursor.Run, cursor.Pages, cursor.Counts, 0));
            LogCompleted(logger, input.Env, kind.Name, input.To, cursor.Counts.ToString(), record);
            return new MigrateSchemaResult(cursor.Run, cursor.Chain, cursor.Pages, cursor.Counts, record, compaction.Published);
        }
        catch (TaskFailedException failure)
        {
            var error = StepFailures.Describe(failure);
            if (cursor is not null)
            {
                await RecordFailureAsync(context, input, step, error, retry);
            }

            context.SetCustomStatus(new MigrationProgress("failed", cursor?.Run, cursor?.Pages ?? 0, cursor?.Counts ?? MigrationCounts.Empty, 0, error));
            LogFailed(logger, input.Env, kind.Name, input.To, step, error);
            var state = cursor is null
                ? "nothing was written"
                : $"{cursor.Counts.Migrated} entities were migrated before it; start the migration again to finish (every step is idempotent)";
            throw new MigrationFailedException($"Migration of {input.Env} {kind.Name} to {input.To} failed at step {step}: {error}; {state}.");
        }
    }

    /// <summary>
    /// Up to <see cref="PagesPerExecution"/> pages with a sliding window of <see cref="MigrateSchemaInput.Parallelism"/>:
    /// the next page is listed when a slot frees. Returns the cursor after them and whether the listing ended.
    /// </summary>
    private static async Task<(MigrationCursor Cursor, bool Done)> RunPagesAsync(TaskOrchestrationContext context, MigrateSchemaInput input, MigrationCursor cursor,
        TaskOptions retry)
    {
        var parallelism = Math.Clamp(input.Parallelism, 1, 64);
        var pageSize = Math.Clamp(input.PageSize, 1, 1000);
        var running = new List<Task<MigrateSchemaPageResult>>();
        var token = cursor.PageToken;
        var listed = 0;
        var end = false;
        var counts = cursor.Counts;
        var failures = cursor.Failures.ToList();
        var pages = cursor.Pages;
        context.SetCustomStatus(new MigrationProgress("pages", cursor.Run, pages, counts, 0));
        // Bounded: at most PagesPerExecution pages are listed per execution, then the loop drains and the run continues as new.
        for (var round = 0; round <= 2 * PagesPerExecution; round++)
        {
            while (!end && listed < PagesPerExecution && running.Count < parallelism)
            {
                var page = await context.CallActivityAsync<MigrationPageOutput>(nameof(ListMigrationPageActivity),
                    new ListMigrationPageInput(input.Env, input.Entity, token, pageSize), retry);
                var number = cursor.Pages + listed++;
                token = page.NextPageToken;
                end = token is null;
                if (page.Ids.Count > 0)
                {
                    running.Add(context.CallSubOrchestratorAsync<MigrateSchemaPageResult>(nameof(MigrateSchemaPageOrchestrator),
                        new MigrateSchemaPageInput(input.Env, input.Entity, input.To, number, page.Ids),
                        new SubOrchestrationOptions { InstanceId = InstanceIds.MigrationPage(context.InstanceId, cursor.Run, number) }));
                }
                else
                {
                    pages++;
                }
            }

            if (running.Count == 0)
            {
                break;
            }

            var finished = await Task.WhenAny(running);
            running.Remove(finished);
            var result = await finished; // a page orchestration that failed as a whole fails the run (its entities are idempotent)
            pages++;
            counts = counts.Add(result.Counts);
            failures.AddRange(result.Failures.Take(Math.Max(0, MaxFailuresKept - failures.Count)));
            if (!context.IsReplaying)
            {
                var tags = WriteTelemetry.EntityTags(input.Env, input.Entity);
                tags.Add(EccoTags.Outcome, "migrated");
                MaintenanceTelemetry.MigratedEntities.Add(result.Counts.Migrated + result.Counts.Removed, tags);
                tags = WriteTelemetry.EntityTags(input.Env, input.Entity);
                tags.Add(EccoTags.Outcome, "failed");
                MaintenanceTelemetry.MigratedEntities.Add(result.Counts.Failed, tags);
            }

            context.SetCustomStatus(new MigrationProgress("pages", cursor.Run, pages, counts, running.Count));
        }

        return (cursor with { PageToken = token, Pages = pages, Counts = counts, Failures = failures }, end);
    }

    private static MigrationRecordInput Record(TaskOrchestrationContext context, MigrateSchemaInput input, string run, string state, int pages, MigrationCounts counts,
        IReadOnlyList<MigrationFailure> failures) =>
        new(input.Env, input.Entity, input.To, run, context.InstanceId, input.RequestedBy, input.At, state, pages, counts.ToDictionary(), [.. failures.Select(f => f.Id)]);

    private static async Task RecordFailureAsync(TaskOrchestrationContext context, MigrateSchemaInput input, string step, string error, TaskOptions retry)
    {
        try
        {
            await context.CallActivityAsync<string>(nameof(RecordOpsEventActivity),
                new OpsEventInput(input.Env, "migrate-failed", DeterministicUlid.Create(context.CurrentUtcDateTime, context.NewGuid()).ToString(),
                    context.CurrentUtcDateTime, context.InstanceId, null, step, error, $"{input.Entity} → {input.To}"), retry);
        }
        catch (TaskFailedException)
        {
            // Best effort: the instance's failure reason says the same.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Migration of {Env} {Entity} to {To} started: run {Run}, chain {Chain}")]
    private static partial void LogStarted(ILogger logger, string env, string entity, string to, string run, string chain);

    [LoggerMessage(Level = LogLevel.Information, Message = "Migration of {Env} {Entity} to {To} completed: {Counts}; record {Record}")]
    private static partial void LogCompleted(ILogger logger, string env, string entity, string to, string counts, string record);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Migration of {Env} {Entity} to {To} failed at {Step}: {Error}")]
    private static partial void LogFailed(ILogger logger, string env, string entity, string to, string step, string error);
}

/// <summary>Ends a migration orchestration as Failed with a reason that says what failed and how to finish.</summary>
public sealed class MigrationFailedException : Exception
{
    public MigrationFailedException()
    {
    }

    public MigrationFailedException(string message)
        : base(message)
    {
    }

    public MigrationFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
