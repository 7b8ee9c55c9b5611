using System.Text.Json.Nodes;
using EccoStudio.Activities.Rules;

namespace EccoStudio.Activities.Tests.Rules;

public sealed class RuleSetCacheTests
{
    private readonly ManualClock _clock = new();
    private int _loads;

    private Task<IReadOnlyList<JsonObject>> Load()
    {
        var n = Interlocked.Increment(ref _loads);
        return Task.FromResult<IReadOnlyList<JsonObject>>([new JsonObject { ["id"] = $"R{n}" }]);
    }

    [Fact]
    public async Task GetOrLoadAsync_WithinTtl_LoadsOnce()
    {
        var cache = new RuleSetCache(TimeSpan.FromSeconds(5), _clock);

        var first = await cache.GetOrLoadAsync("dev", "venture", Load);
        _clock.Advance(TimeSpan.FromSeconds(4));
        var second = await cache.GetOrLoadAsync("dev", "venture", Load);

        Assert.Equal(1, _loads);
        Assert.Same(first, second);
    }

    [Fact]
    public async Task GetOrLoadAsync_AfterTtl_LoadsAgain()
    {
        var cache = new RuleSetCache(TimeSpan.FromSeconds(5), _clock);

        await cache.GetOrLoadAsync("dev", "venture", Load);
        _clock.Advance(TimeSpan.FromSeconds(6));
        var again = await cache.GetOrLoadAsync("dev", "venture", Load);

        Assert.Equal(2, _loads);
        Assert.Equal("R2", again[0]["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Invalidate_Env_ReloadsThatEnvOnly()
    {
        var cache = new RuleSetCache(TimeSpan.FromMinutes(1), _clock);
        await cache.GetOrLoadAsync("dev", "venture", Load);
        await cache.GetOrLoadAsync("prod", "venture", Load);

        cache.Invalidate("dev");
        await cache.GetOrLoadAsync("dev", "venture", Load);
        await cache.GetOrLoadAsync("prod", "venture", Load);

        Assert.Equal(3, _loads);
    }

    [Fact]
    public async Task GetOrLoadAsync_InvalidatedDuringLoad_DoesNotKeepStaleResult()
    {
        var cache = new RuleSetCache(TimeSpan.FromMinutes(1), _clock);

        await cache.GetOrLoadAsync("dev", "venture", async () =>
        {
            cache.Invalidate("dev"); // a rule is written while the old set is being read
            return await Load();
        });
        await cache.GetOrLoadAsync("dev", "venture", Load);

        Assert.Equal(2, _loads);
    }

    [Fact]
    public async Task GetOrLoadAsync_ZeroTtl_AlwaysLoads()
    {
        var cache = new RuleSetCache(TimeSpan.Zero, _clock);

        await cache.GetOrLoadAsync("dev", "venture", Load);
        await cache.GetOrLoadAsync("dev", "venture", Load);

        Assert.Equal(2, _loads);
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
