using EccoStudio.Api.Writes;
using EccoStudio.Storage.Layout;

namespace EccoStudio.Api.Tests.Writes;

/// <summary>Write instance ids: readable head for ops filters, idempotency keys mapped deterministically.</summary>
public sealed class WriteInstanceIdsTests
{
    private static readonly EntityTarget Venture = EntityTarget.Of("dev", "venture", "V-1");

    [Fact]
    public void For_SameIdempotencyKey_GivesTheSameId()
    {
        Assert.Equal(WriteInstanceIds.For(Venture, "order-42"), WriteInstanceIds.For(EntityTarget.Of("dev", "venture", "V-1"), "order-42"));
    }

    [Fact]
    public void For_KeyedId_StartsWithTheEntityHeadAndCarriesNoKeyText()
    {
        var id = WriteInstanceIds.For(Venture, "order-42");

        Assert.StartsWith("write:dev:ventures:V-1:k", id, StringComparison.Ordinal);
        Assert.Equal(WriteInstanceIds.Head(Venture).Length + 33, id.Length);
        Assert.DoesNotContain("order-42", id, StringComparison.Ordinal);
    }

    [Fact]
    public void For_SameKeyOnAnotherEntityOrEnv_GivesDifferentIds()
    {
        var ids = new[]
        {
            WriteInstanceIds.For(Venture, "k"),
            WriteInstanceIds.For(EntityTarget.Of("dev", "venture", "V-2"), "k"),
            WriteInstanceIds.For(EntityTarget.Of("prod", "venture", "V-1"), "k"),
            WriteInstanceIds.For(EntityTarget.Of("dev", "idea", "V-1"), "k"),
            WriteInstanceIds.For(Venture, "k2"),
        };

        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Fact]
    public void For_NoKey_GivesAFreshIdEachTime()
    {
        var first = WriteInstanceIds.For(Venture, null);
        var second = WriteInstanceIds.For(Venture, null);

        Assert.NotEqual(first, second);
        Assert.StartsWith(WriteInstanceIds.Head(Venture), first, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a", true)]
    [InlineData("3f2b9c1e-0d4a-4c8e-9a55-1b2c3d4e5f60", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("has space", false)]
    [InlineData("tab\t", false)]
    [InlineData("é", false)]
    public void IsValidIdempotencyKey_VisibleAscii_Accepted(string? key, bool valid)
    {
        Assert.Equal(valid, WriteInstanceIds.IsValidIdempotencyKey(key));
    }

    [Fact]
    public void IsValidIdempotencyKey_LengthLimit_Is200()
    {
        Assert.True(WriteInstanceIds.IsValidIdempotencyKey(new string('k', 200)));
        Assert.False(WriteInstanceIds.IsValidIdempotencyKey(new string('k', 201)));
    }
}
