using EccoStudio.Activities.Alerts;
using EccoStudio.Activities.Common;
using EccoStudio.Activities.Erasure;
using EccoStudio.Activities.History;
using EccoStudio.Activities.Indices;
using EccoStudio.Activities.Manifests;
using EccoStudio.Activities.Migrations;
using EccoStudio.Activities.Ops;
using EccoStudio.Activities.Rules;
using EccoStudio.Activities.Snapshots;
using EccoStudio.Storage.Manifests;
using EccoStudio.Storage.Migrations;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace EccoStudio.Triggers.Durable;

/// <summary>
/// Hand-written activity triggers, one per shared activity class, named after the class (as the local engine
/// registers them); each resolves the class from DI and runs it.
/// </summary>
public sealed class ActivityFunctions(IServiceProvider services)
{
    [Function(nameof(EvaluateRulesActivity))]
    public Task<IReadOnlyList<AlertMessage>> RunEvaluateRules([ActivityTrigger] EvaluateRulesInput input, FunctionContext context) =>
        Run<EvaluateRulesActivity, EvaluateRulesInput, IReadOnlyList<AlertMessage>>(input, context);

    [Function(nameof(AppendCompensationActivity))]
    public Task<AppendCompensationOutput> RunAppendCompensation([ActivityTrigger] AppendCompensationInput input, FunctionContext context) =>
        Run<AppendCompensationActivity, AppendCompensationInput, AppendCompensationOutput>(input, context);

    [Function(nameof(ValidateChangeActivity))]
    public Task<PreparedChangeOutput> RunValidateChange([ActivityTrigger] ValidateChangeInput input, FunctionContext context) =>
        Run<ValidateChangeActivity, ValidateChangeInput, PreparedChangeOutput>(input, context);

    [Function(nameof(PrepareDeleteActivity))]
    public Task<PreparedChangeOutput> RunPrepareDelete([ActivityTrigger] PrepareDeleteInput input, FunctionContext context) =>
        Run<PrepareDeleteActivity, PrepareDeleteInput, PreparedChangeOutput>(input, context);

    [Function(nameof(AppendHistoryActivity))]
    public Task<AppendHistoryOutput> RunAppendHistory([ActivityTrigger] AppendHistoryInput input, FunctionContext context) =>
        Run<AppendHistoryActivity, AppendHistoryInput, AppendHistoryOutput>(input, context);

    [Function(nameof(RestoreManifestEntryActivity))]
    public Task<bool> RunRestoreManifestEntry([ActivityTrigger] RestoreManifestEntryInput input, FunctionContext context) =>
        Run<RestoreManifestEntryActivity, RestoreManifestEntryInput, bool>(input, context);

    [Function(nameof(BeginCompactionActivity))]
    public Task<CompactionPlan> RunBeginCompaction([ActivityTrigger] BeginCompactionInput input, FunctionContext context) =>
        Run<BeginCompactionActivity, BeginCompactionInput, CompactionPlan>(input, context);

    [Function(nameof(UpsertManifestEntryActivity))]
    public Task<bool> RunUpsertManifestEntry([ActivityTrigger] UpsertManifestEntryInput input, FunctionContext context) =>
        Run<UpsertManifestEntryActivity, UpsertManifestEntryInput, bool>(input, context);

    [Function(nameof(FinishCompactionActivity))]
    public Task<bool> RunFinishCompaction([ActivityTrigger] FinishCompactionInput input, FunctionContext context) =>
        Run<FinishCompactionActivity, FinishCompactionInput, bool>(input, context);

    [Function(nameof(WriteManifestShardActivity))]
    public Task<int> RunWriteManifestShard([ActivityTrigger] WriteManifestShardInput input, FunctionContext context) =>
        Run<WriteManifestShardActivity, WriteManifestShardInput, int>(input, context);

    [Function(nameof(SyncIndicesActivity))]
    public Task<int> RunSyncIndices([ActivityTrigger] SyncIndicesInput input, FunctionContext context) =>
        Run<SyncIndicesActivity, SyncIndicesInput, int>(input, context);

    [Function(nameof(RepairIndicesActivity))]
    public Task<int> RunRepairIndices([ActivityTrigger] RepairIndicesInput input, FunctionContext context) =>
        Run<RepairIndicesActivity, RepairIndicesInput, int>(input, context);

    [Function(nameof(ApplySnapshotActivity))]
    public Task<SnapshotStepOutput> RunApplySnapshot([ActivityTrigger] ApplySnapshotInput input, FunctionContext context) =>
        Run<ApplySnapshotActivity, ApplySnapshotInput, SnapshotStepOutput>(input, context);

    [Function(nameof(RebuildSnapshotActivity))]
    public Task<RebuildSnapshotOutput> RunRebuildSnapshot([ActivityTrigger] RebuildSnapshotInput input, FunctionContext context) =>
        Run<RebuildSnapshotActivity, RebuildSnapshotInput, RebuildSnapshotOutput>(input, context);

    [Function(nameof(RestoreSnapshotActivity))]
    public Task<RestoreSnapshotOutput> RunRestoreSnapshot([ActivityTrigger] RestoreSnapshotInput input, FunctionContext context) =>
        Run<RestoreSnapshotActivity, RestoreSnapshotInput, RestoreSnapshotOutput>(input, context);

    [Function(nameof(RecordOpsEventActivity))]
    public Task<string> RunRecordOpsEvent([ActivityTrigger] OpsEventInput input, FunctionContext context) =>
        Run<RecordOpsEventActivity, OpsEventInput, string>(input, context);

    [Function(nameof(DeliverAlertActivity))]
    public Task<DeliverAlertOutput> RunDeliverAlert([ActivityTrigger] DeliverAlertInput input, FunctionContext context) =>
        Run<DeliverAlertActivity, DeliverAlertInput, DeliverAlertOutput>(input, context);

    [Function(nameof(DiscardAlertsActivity))]
    public Task<int> RunDiscardAlerts([ActivityTrigger] DiscardAlertsInput input, FunctionContext context) =>
        Run<DiscardAlertsActivity, DiscardAlertsInput, int>(input, context);

    [Function(nameof(InventoryErasureActivity))]
    public Task<ErasureTally> RunInventoryErasure([ActivityTrigger] InventoryErasureInput input, FunctionContext context) =>
        Run<InventoryErasureActivity, InventoryErasureInput, ErasureTally>(input, context);

    [Function(nameof(WriteErasureRecordActivity))]
    public Task<string> RunWriteErasureRecord([ActivityTrigger] WriteErasureRecordInput input, FunctionContext context) =>
        Run<WriteErasureRecordActivity, WriteErasureRecordInput, string>(input, context);

    [Function(nameof(EraseObjectsActivity))]
    public Task<ErasureTally> RunEraseObjects([ActivityTrigger] EraseObjectsInput input, FunctionContext context) =>
        Run<EraseObjectsActivity, EraseObjectsInput, ErasureTally>(input, context);

    [Function(nameof(CheckMigrationTargetActivity))]
    public Task<string> RunCheckMigrationTarget([ActivityTrigger] CheckMigrationTargetInput input, FunctionContext context) =>
        Run<CheckMigrationTargetActivity, CheckMigrationTargetInput, string>(input, context);

    [Function(nameof(ListMigrationPageActivity))]
    public Task<MigrationPageOutput> RunListMigrationPage([ActivityTrigger] ListMigrationPageInput input, FunctionContext context) =>
        Run<ListMigrationPageActivity, ListMigrationPageInput, MigrationPageOutput>(input, context);

    [Function(nameof(MigrateEntityActivity))]
    public Task<EntityMigrationResult> RunMigrateEntity([ActivityTrigger] MigrateEntityInput input, FunctionContext context) =>
        Run<MigrateEntityActivity, MigrateEntityInput, EntityMigrationResult>(input, context);

    [Function(nameof(RecordMigrationActivity))]
    public Task<string> RunRecordMigration([ActivityTrigger] MigrationRecordInput input, FunctionContext context) =>
        Run<RecordMigrationActivity, MigrationRecordInput, string>(input, context);

    private Task<TOut> Run<TActivity, TIn, TOut>(TIn input, FunctionContext context)
        where TActivity : TaskActivity<TIn, TOut>
    {
        var activity = ActivatorUtilities.GetServiceOrCreateInstance<TActivity>(services);
        ActivitySpanTags.Apply(typeof(TActivity).Name, input);
        return activity.RunAsync(new FunctionsActivityContext(new TaskName(typeof(TActivity).Name), context.InvocationId), input);
    }
}
