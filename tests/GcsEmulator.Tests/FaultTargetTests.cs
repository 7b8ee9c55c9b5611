using EccoStudio.GcsEmulator.Faults;

namespace EccoStudio.GcsEmulator.Tests;

public class FaultTargetTests
{
    [Theory]
    [InlineData("/storage/v1/b/bkt/o/a%2Fb%20c.json", null, "a/b c.json")]
    [InlineData("/storage/v1/b/bkt/o/plain", null, "plain")]
    [InlineData("/download/storage/v1/b/bkt/o/dir%2Ffile", null, "dir/file")]
    [InlineData("/storage/v1/b/bkt/o/src%2Fx/rewriteTo/b/b2/o/dst", null, "src/x")]
    [InlineData("/storage/v1/b/bkt/o/src/copyTo/b/b2/o/dst", null, "src")]
    [InlineData("/storage/v1/b/bkt/o/dest%2Fc/compose", null, "dest/c")]
    [InlineData("/upload/storage/v1/b/bkt/o", "up/x", "up/x")]
    [InlineData("/resumable/upload/storage/v1/b/bkt/o", "up/y", "up/y")]
    public void ObjectName_KnownShapes_ReturnsDecodedName(string path, string? nameQuery, string expected) =>
        Assert.Equal(expected, FaultTarget.ObjectName(path, nameQuery));

    [Theory]
    [InlineData("/storage/v1/b/bkt", null)]
    [InlineData("/storage/v1/b/bkt/o", null)]
    [InlineData("/storage/v1/b", null)]
    [InlineData("/upload/storage/v1/b/bkt/o", null)]
    [InlineData("/upload/storage/v1/b/bkt/o", "")]
    [InlineData("/_emulator/faults", null)]
    public void ObjectName_NoObjectInUrl_ReturnsNull(string path, string? nameQuery) =>
        Assert.Null(FaultTarget.ObjectName(path, nameQuery));
}
