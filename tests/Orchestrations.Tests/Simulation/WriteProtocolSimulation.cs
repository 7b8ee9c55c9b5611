using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EccoStudio.Activities.Common;
using EccoStudio.Activities.History;
using EccoStudio.Activities.Indices;
using EccoStudio.Activities.Manifests;
using EccoStudio.Activities.Snapshots;
using EccoStudio.Orchestrations.Steps;
using EccoStudio.Orchestrations.Writes;
using EccoStudio.Storage.Catalog;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Consistency;
using EccoStudio.Storage.History;
using EccoStudio.Storage.Indices;
using EccoStudio.Storage.Layout;
using EccoStudio.Storage.Migrations;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Snapshots;
using EccoStudio.Storage.Staging;
using EccoStudio.Storage.Writes;
using EccoStudio.Testing.Simulation;
using Microsoft.DurableTask;

namespace EccoStudio.Orchestrations.Tests.Simulation;

/// <summary>How a simulated run is shaped (everything else comes from the seed).</summary>
public sealed record SimulationOptions
{
    public SimFaults Faults { get; init; } = new();

    /// <summary>Attempts per step before it fails for good (the write path's default retry policy).</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>
    /// Deliberately broken protocol variant: the write's index step applies its own plan (before → after) and stops,
    /// never looking at the stored snapshot again (no re-check, no pending list). The simulation must catch it.
    /// </summary>
    public bool BrokenIndexStepTrustsItsPlan { get; init; }
}

/// <summary>What one seed did and found.</summary>
public sealed record SimulationOutcome(int Seed, int Calls, int Writes, int Reconciles, int FailedWrites, ConsistencyReport Report, IReadOnlyList<string> Trace)
{
    public bool Converged => Report.IsConsistent;

    /// <summary>Seed, drift and the full call trace: enough to understand the counterexample, and to replay it from the seed.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"seed {Seed}: {Writes} writes ({FailedWrites} failed for good), {Reconciles} reconciles, {Calls} storage calls\n");
        text.Append(Report.Summary()).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"replay: ECCO_SIM_SEED={Seed} dotnet test tests/Orchestrations.Tests -c Release --filter FullyQualifiedName~WriteProtocolSimulationTests\n");
        text.Append("trace:\n");
        foreach (var line in Trace)
        {
            text.Append(line).Append('\n');
        }

        return text.ToString();
    }
}

/// <summary>
/// Deterministic simulation of the write protocol: simulated writers and reconcilers run the REAL activities (and so
/// the real Storage write and repair code) against a <see cref="SimObjectStore"/> whose every call is scheduled by a
/// seeded <see cref="SimScheduler"/> (interleaved, failed before the effect, answers lost after it, workers crashed).
/// Writers follow <see cref="Writes.WriteEntityOrchestrator"/>'s saga: validate → history → snapshot → manifest →
/// indices, each step retried like <see cref="StepTracker"/> (transient failures only, bounded; a crash re-runs the
/// attempt), compensation when a derived step fails for good. A created history object may trigger a reconcile
/// (<see cref="Reconcile.ReconcileEntityOrchestrator"/>'s steps), as a Pub/Sub notification does. After quiescence
/// <see cref="ConsistencyChecker"/> (what <c>verify</c> runs) must find no drift.
/// </summary>
public sealed class WriteProtocolSimulation
{
    private static readonly string[] Leads = ["Alice", "Bob", "Chen"];
    private static readonly string[] Statuses = ["Pilot", "Build", "Scale"];
    private static readonly DateTimeOffset Base = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Lazy<(EntitySchemaRegistry Schemas, IndexCatalog Indices, SchemaMigrations Migrations)> Catalogs = new(LoadCatalogs);

    private readonly SimScheduler _scheduler;
    private readonly SimulationOptions _options;
    private readonly StorageContext _storage;
    private readonly StorageContext _direct;
    private readonly TaskActivityContext _activity = new SimActivityContext();
    private int _writes;
    private int _reconciles;
    private int _failedWrites;
    private int _clock;

    private WriteProtocolSimulation(int seed, SimulationOptions options)
    {
        _options = options;
        _scheduler = new SimScheduler(seed, options.Faults);
        var store = new SimObjectStore(_scheduler);
        var paths = new ObjectPaths(new StorageLayoutOptions { BucketName = "sim" });
        var (schemas, indices, migrations) = Catalogs.Value;
        _storage = new StorageContext(store, paths, schemas, indices) { Migrations = migrations };
        _direct = _storage with { Store = store.Direct };
        // Nothing here compacts: the writers learn up front, outside the schedule, that the kind has no manifest index
        // (so they leave no change markers), as the schema registry is warmed: the schedules stay the write protocol's.
        _ = _storage.ManifestPresence.HasIndexAsync(store.Direct, paths.BucketFor("dev"), "dev", EntityCatalog.Venture, _storage.ManifestChanges.AbsentIndexTtl,
            CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>Runs one seed to quiescence and checks it. Call where there is no synchronization context.</summary>
    public static SimulationOutcome Run(int seed, SimulationOptions? options = null)
    {
        var sim = new WriteProtocolSimulation(seed, options ?? new SimulationOptions());
        return sim.Execute();
    }

    private SimulationOutcome Execute()
    {
        var random = _scheduler.Random;
        var ids = Enumerable.Range(1, 1 + random.Next(2)).Select(i => "V" + i.ToString(CultureInfo.InvariantCulture)).ToList();

        // Phase 1: every entity gets a first full document (under faults too), so later merge patches have a base.
        foreach (var id in ids)
        {
            Spawn(id, Full(id, random, -3600));
        }

        _scheduler.Run();

        // Phase 2: concurrent full documents and merge patches, out of order (updated_at drawn from a small window).
        var writers = 3 + random.Next(5);
        for (var w = 0; w < writers; w++)
        {
            var id = ids[random.Next(ids.Count)];
            var offset = random.Next(12);
            Spawn(id, random.Next(3) == 0 ? Full(id, random, offset) : Patch(random, offset));
        }

        _scheduler.Run();

        var report = new ConsistencyChecker(_direct).CheckAsync("dev", [EntityCatalog.Venture]).GetAwaiter().GetResult();
        return new SimulationOutcome(_scheduler.Seed, _scheduler.Trace.Count, _writes, _reconciles, _failedWrites, report, _scheduler.Trace);
    }

    private void Spawn(string id, (string Document, ChangeKind Change, int Offset) write)
    {
        var n = ++_writes;
        var bytes = new byte[16];
        _scheduler.Random.NextBytes(bytes);
        var ulid = DeterministicUlid.Create(Base.AddSeconds(write.Offset).UtcDateTime, new Guid(bytes));
        var entity = new EntityRef("dev", "venture", id);
        var instance = $"w{n}";
        _scheduler.Spawn($"{instance}({id})", () => WriteAsync(entity, write.Document, write.Change, ulid, instance));
    }

    /// <summary>
    /// The write saga, step for step as <see cref="Writes.WriteEntityOrchestrator"/> runs it, including its claim check:
    /// the change staged first (as the API does), every activity input and output passed through JSON as the engine
    /// passes them (<see cref="Wire{T}"/>), so the activities see references, never documents.
    /// </summary>
    private async Task WriteAsync(EntityRef entity, string document, ChangeKind change, Ulid ulid, string instance)
    {
        var (accepted, input) = await StepAsync(() => WriteStaging.StageAsync(_storage, new WriteEntityInput(entity.Env, entity.Entity, entity.Id, document, change), instance));
        if (!accepted)
        {
            // The request would have failed (5xx) before the write was accepted: nothing to run.
            return;
        }

        var staged = input.Staged!;
        PreparedChangeOutput prepared;
        if (change == ChangeKind.Full && _scheduler.Random.Next(2) == 0)
        {
            // Validated by the starter (the API's PUT handler): the orchestration names the change itself, no validate step.
            var key = new HistoryKey(Storage.Envelope.Rfc3339.TryParseUtc(input.UpdatedAt, out var at) ? at : throw new InvalidOperationException("no updated_at"), ulid);
            prepared = Wire(new PreparedChangeOutput(ObjectPaths.History(entity.ToTarget(), key), null, key.ToString(), change) { Staged = staged });
        }
        else
        {
            var (valid, validated) = await StepAsync(() => RunAsync(new ValidateChangeActivity(_storage), new ValidateChangeInput(entity, null, change, ulid.ToString()) { Staged = staged }));
            if (!valid)
            {
                return;
            }

            prepared = validated;
        }

        var (appended, history) = await StepAsync(() => RunAsync(new AppendHistoryActivity(_storage), new AppendHistoryInput(entity, prepared)));
        if (!appended)
        {
            // Failed for good at history: whether the object landed is unknown. Its notification (if it did) reconciles.
            _failedWrites++;
            SpawnReconcile(entity, "history-unknown");
            return;
        }

        if (history.Created && _scheduler.Random.Next(3) == 0)
        {
            SpawnReconcile(entity, "notification");
        }

        SnapshotStepOutput? snapshot = null;
        string failedStep;
        var (ok, applied) = await StepAsync(() => RunAsync(new ApplySnapshotActivity(_storage), new ApplySnapshotInput(entity, prepared)));
        if (ok)
        {
            snapshot = applied;
            // The fan-out: manifest entry, pointers and the rules step (no rules here: it discards the staged change)
            // side by side, their calls interleaving with each other as with every other actor's.
            var manifest = StepAsync(() => RunAsync(new UpsertManifestEntryActivity(_storage), new UpsertManifestEntryInput(entity, null, SnapshotGeneration: applied.Generation)));
            var indices = StepAsync(() => SyncIndicesAsync(new SyncIndicesInput(entity, null, null, applied.Generation,
                RepairAfter: applied.BeforeRecomputed || applied.PendingPointers)
            {
                BeforeGeneration = applied.BeforeGeneration,
                PlanEmpty = applied.IndexPlanEmpty,
            }));
            var rules = StepAsync(async () =>
            {
                await new StagedObjects(_storage).DiscardAsync(entity.Env, staged);
                return true;
            });
            await Task.WhenAll(manifest, indices, rules);
            if (manifest.Result.Ok && indices.Result.Ok)
            {
                return;
            }

            failedStep = manifest.Result.Ok ? "indices" : "manifest";
        }
        else
        {
            failedStep = "snapshot";
        }

        _failedWrites++;
        if (!await CompensateAsync(entity, prepared, staged, snapshot, failedStep))
        {
            // The orchestrator records compensation-failed for ops ("reconcile the entity").
            SpawnReconcile(entity, "compensation-failed");
        }
    }

    private async Task<bool> CompensateAsync(EntityRef entity, PreparedChangeOutput prepared, StagedDocument staged, SnapshotStepOutput? snapshot, string failedStep)
    {
        var at = Base.AddDays(1).AddSeconds(++_clock);
        var bytes = new byte[16];
        _scheduler.Random.NextBytes(bytes);
        var ulid = DeterministicUlid.Create(at.UtcDateTime, new Guid(bytes));
        var (ok, _) = await StepAsync(() => RunAsync(new AppendCompensationActivity(_storage),
            new AppendCompensationInput(entity, prepared.Key, ulid.ToString(), at, failedStep + " failed", null)
            {
                EnvelopeSnapshotGeneration = snapshot?.Generation ?? 0,
                EnvelopeHistoryObject = prepared.Change == ChangeKind.Full ? prepared.ObjectName : null,
                DiscardStaged = staged,
            }));
        if (!ok)
        {
            return false;
        }

        var (restoredOk, restored) = await StepAsync(() => RunAsync(new RestoreSnapshotActivity(_storage),
            new RestoreSnapshotInput(entity, prepared.Key, snapshot is not null, null, snapshot?.BeforeKey) { PriorGeneration = snapshot?.BeforeGeneration }));
        if (!restoredOk)
        {
            return false;
        }

        // As WriteEntityOrchestrator: manifest entry and pointers follow the restored snapshot whatever the restore reports.
        (ok, _) = await StepAsync(() => RunAsync(new RestoreManifestEntryActivity(_storage), new RestoreManifestEntryInput(entity, null, null)));
        if (!ok)
        {
            return false;
        }

        (ok, _) = await StepAsync(() => SyncIndicesAsync(new SyncIndicesInput(entity, null, null, restored.Exists ? restored.Generation : 0, RepairAfter: true)
        {
            BeforeGeneration = snapshot?.Generation ?? 0,
        }));
        return ok;
    }

    private async Task<int> SyncIndicesAsync(SyncIndicesInput input)
    {
        if (!_options.BrokenIndexStepTrustsItsPlan)
        {
            return await RunAsync(new SyncIndicesActivity(_storage), input);
        }

        // The broken variant: the write's own plan between the states it can read, applied once, never re-checked.
        var target = input.Entity.ToTarget();
        var reader = new EntityReader(_storage);
        var before = input.BeforeGeneration is > 0 and var g ? (await reader.GetSnapshotAsync(target, g))?.Document : null;
        var after = input.AfterGeneration > 0 ? (await reader.GetSnapshotAsync(target, input.AfterGeneration))?.Document : null;
        var plan = new IndexPlanner(_storage.Indices).Plan(target, before, after);
        return await new IndexWriter(_storage).ApplyPlanAsync(target, plan);
    }

    /// <summary>Runs an activity as the engine does: input and output through JSON (in-process-only members drop out).</summary>
    private async Task<TOut> RunAsync<TIn, TOut>(TaskActivity<TIn, TOut> activity, TIn input) =>
        Wire(await activity.RunAsync(_activity, Wire(input)));

    private static T Wire<T>(T value) => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value))!;

    private void SpawnReconcile(EntityRef entity, string trigger)
    {
        var n = ++_reconciles;
        _scheduler.Spawn($"r{n}({entity.Id},{trigger})", () => ReconcileAsync(entity));
    }

    /// <summary>The reconcile, step for step as <see cref="Reconcile.ReconcileEntityOrchestrator"/> runs it.</summary>
    private async Task ReconcileAsync(EntityRef entity)
    {
        var (ok, rebuilt) = await StepAsync(() => RunAsync(new RebuildSnapshotActivity(_storage), new RebuildSnapshotInput(entity)));
        if (!ok || !rebuilt.Exists)
        {
            return;
        }

        (ok, _) = await StepAsync(() => RunAsync(new UpsertManifestEntryActivity(_storage), new UpsertManifestEntryInput(entity, null, MatchCurrentSnapshot: true)));
        if (ok)
        {
            await StepAsync(() => RunAsync(new RepairIndicesActivity(_storage), new RepairIndicesInput(entity)));
        }
    }

    /// <summary>One step under the write path's retry policy: transient failures retried up to the attempt limit, a crashed worker re-runs the attempt.</summary>
    private async Task<(bool Ok, T Value)> StepAsync<T>(Func<Task<T>> run)
    {
        var failures = 0;
        for (var crashes = 0; crashes < 100;)
        {
            try
            {
                return (true, await run());
            }
            catch (SimCrashException)
            {
                crashes++;
            }
            catch (Exception e) when (e is not SimulationException)
            {
                if (!StepFailures.IsTransient(e) || ++failures >= _options.MaxAttempts)
                {
                    return (false, default!);
                }
            }
        }

        return (false, default!);
    }

    private static (string, ChangeKind, int) Full(string id, Random random, int offset)
    {
        var document = new JsonObject
        {
            ["id"] = id,
            ["entity"] = "venture",
            ["env"] = "dev",
            ["schema_version"] = "1.0.0",
            ["created_at"] = Stamp(-7200),
            ["updated_at"] = Stamp(offset),
            ["name"] = "Venture " + id,
            ["lead"] = Leads[random.Next(Leads.Length)],
            ["status"] = Statuses[random.Next(Statuses.Length)],
            ["milestones"] = Milestones(random),
        };
        if (random.Next(2) == 0)
        {
            // Either schema version (docs/schema-evolution.md): a 1.1.0 document names the venture "title" and its currency.
            document["schema_version"] = "1.1.0";
            document.Remove("name");
            document["title"] = "Venture " + id + " " + random.Next(3);
            document["reportingCurrency"] = random.Next(2) == 0 ? "USD" : "EUR";
        }

        return (document.ToJsonString(), ChangeKind.Full, offset);
    }

    private static (string, ChangeKind, int) Patch(Random random, int offset)
    {
        var patch = new JsonObject { ["updated_at"] = Stamp(offset) };
        switch (random.Next(6))
        {
            case 0:
                patch["lead"] = Leads[random.Next(Leads.Length)];
                break;
            case 1:
                patch["status"] = Statuses[random.Next(Statuses.Length)];
                break;
            case 2:
                patch["milestones"] = Milestones(random);
                break;
            case 3:
                patch["name"] = "Renamed " + random.Next(3); // 1.0.0 style, no version: reaches "title" through the migration
                break;
            case 4:
                patch["schema_version"] = "1.0.0"; // explicitly old
                patch["name"] = "Old " + random.Next(3);
                break;
            default:
                patch["title"] = "Title " + random.Next(3);
                break;
        }

        return (patch.ToJsonString(), ChangeKind.MergePatch, offset);
    }

    private static JsonArray Milestones(Random random) =>
    [
        new JsonObject
        {
            ["milestoneId"] = "M1",
            ["title"] = "MVP",
            ["dueDate"] = $"2026-0{1 + random.Next(3)}-15",
            ["status"] = random.Next(4) == 0 ? "Done" : "InProgress",
        },
    ];

    private static string Stamp(int offsetSeconds) => Rfc3339(Base.AddSeconds(offsetSeconds));

    private static string Rfc3339(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static (EntitySchemaRegistry, IndexCatalog, SchemaMigrations) LoadCatalogs()
    {
        var folder = FolderSchemaSource.FindRepoSchemas();
        var schemas = EntitySchemaRegistry.FromFolder(folder);
        // Loaded once here, outside any simulation: a schema read inside an actor would be real I/O, not a scheduled call.
        _ = schemas.GetAsync("dev", EntityCatalog.Venture, Storage.Envelope.SchemaVersion.V1).GetAwaiter().GetResult();
        _ = schemas.GetAsync("dev", EntityCatalog.Venture, Storage.Envelope.SchemaVersion.Parse("1.1.0")).GetAwaiter().GetResult();
        return (schemas, IndexCatalog.Load(Path.Combine(folder, "indices.json")), SchemaMigrations.Load(folder));
    }

    private sealed class SimActivityContext : TaskActivityContext
    {
        public override TaskName Name { get; } = new("simulated");

        public override string InstanceId { get; } = "simulation";
    }
}
