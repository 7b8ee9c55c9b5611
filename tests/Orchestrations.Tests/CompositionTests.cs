using EccoStudio.Orchestrations.Composition;
using EccoStudio.Orchestrations.Steps;
using EccoStudio.Storage.Composition;
using EccoStudio.Storage.Schemas;
using EccoStudio.Storage.Writes;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace EccoStudio.Orchestrations.Tests;

public sealed class CompositionTests
{
    [Fact]
    public void AddEccoWritePath_ResolvesEveryActivityAndOrchestratorClass()
    {
        var services = new ServiceCollection().AddLogging().AddEccoStorage(o =>
        {
            o.EmulatorHost = "http://127.0.0.1:1/";
            o.SchemaSource = EccoStorageOptions.FolderSchemaSourceName;
        }).AddEccoWritePath();
        using var provider = services.BuildServiceProvider();

        Assert.NotNull(provider.GetRequiredService<StorageContext>());
        Assert.Equal(25, WritePathTasks.ActivityTypes.Count);
        foreach (var type in WritePathTasks.ActivityTypes)
        {
            Assert.IsAssignableFrom<ITaskActivity>(provider.GetRequiredService(type));
        }

        foreach (var type in WritePathTasks.OrchestratorTypes)
        {
            Assert.IsAssignableFrom<ITaskOrchestrator>(provider.GetRequiredService(type));
        }
    }

    [Fact]
    public void Register_AddsEveryTaskByClassName()
    {
        var registry = new DurableTaskRegistry();
        WritePathTasks.Register(registry, new WritePathOptions());

        // Registering any of the names again is refused: each one is taken.
        foreach (var type in WritePathTasks.ActivityTypes)
        {
            Assert.ThrowsAny<ArgumentException>(() => registry.AddActivity(type));
        }

        foreach (var type in WritePathTasks.OrchestratorTypes)
        {
            Assert.ThrowsAny<ArgumentException>(() => registry.AddOrchestrator(type));
        }
    }

    [Fact]
    public void StepFailures_ClassifiesInputErrorsAndConflictsAsNonTransient()
    {
        static TaskFailureDetails Failure(Exception e) => TaskFailureDetails.FromException(e);

        Assert.False(StepFailures.IsTransient(Failure(new SchemaViolationException("venture", "V1", "1.0.0", []))));
        Assert.False(StepFailures.IsTransient(Failure(new WriteConflictException("a/b.json"))));
        Assert.False(StepFailures.IsTransient(Failure(new Storage.Store.PreconditionFailedException("b", "n", 1, null))));
        Assert.True(StepFailures.IsTransient(Failure(new IOException("connection reset"))));
        Assert.True(StepFailures.IsTransient(Failure(new HttpRequestException("503"))));
        Assert.False(StepFailures.IsTransient(Failure(new InvalidOperationException("outer", new WriteConflictException("x")))));
    }

    [Fact]
    public void DeterministicUlid_SameInputsSameUlid_TimeFromClock()
    {
        var now = new DateTime(2025, 11, 6, 10, 18, 22, DateTimeKind.Utc);
        var guid = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        var a = DeterministicUlid.Create(now, guid);
        Assert.Equal(a, DeterministicUlid.Create(now, guid));
        Assert.NotEqual(a, DeterministicUlid.Create(now, Guid.Parse("7c9e6679-7425-40de-944b-e07fc1f90ae7")));
        Assert.Equal(new DateTimeOffset(now), a.Time);
    }
}
