namespace EccoStudio.Host.Tests;

/// <summary>Issue 14 item 5 on the in-memory engine (see <see cref="ManagementApiHistory"/>).</summary>
public sealed class ManagementApiHistoryTests(DevHostFixture fixture) : IClassFixture<DevHostFixture>
{
    [Fact]
    public Task Status_ShowHistory_CompletedWrite_ListsRealEventsInMemory() =>
        ManagementApiHistory.CompletedWrite_ShowHistory_ListsStartedEachActivityAndCompletedAsync(fixture.Host, fixture.Http, "V-HIST-MEM");
}

/// <summary>Issue 14 item 5 on the Azure Storage engine over Azurite (history read back from the task hub's history table).</summary>
public sealed class AzuriteManagementApiHistoryTests(AzuriteDevHostFixture fixture) : IClassFixture<AzuriteDevHostFixture>
{
    [Fact]
    public Task Status_ShowHistory_CompletedWrite_ListsRealEventsOnAzurite() =>
        ManagementApiHistory.CompletedWrite_ShowHistory_ListsStartedEachActivityAndCompletedAsync(fixture.Host, fixture.Http, "V-HIST-AZ");
}
