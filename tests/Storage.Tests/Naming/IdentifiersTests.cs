using EccoStudio.Storage.Naming;

namespace EccoStudio.Storage.Tests.Naming;

public class IdentifiersTests
{
    [Theory]
    [InlineData("V001")]
    [InlineData("CT-V001")]
    [InlineData("IDEA-001")]
    [InlineData("founder@ecco.studio")]
    [InlineData("Under Review")]
    [InlineData("São Paulo, BR")]
    [InlineData("a_b.c+d:e~f(g)")]
    [InlineData("Москва")]
    [InlineData("東京-01")]
    [InlineData("Ωμεγα-Δ")]
    public void ValidateId_AllowedValue_ReturnsIt(string value) => Assert.Equal(value, Identifiers.ValidateId(value));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("a/b", "separator")]
    [InlineData("a\\b", "separator")]
    [InlineData("..", "'..'")]
    [InlineData("a..b", "'..'")]
    [InlineData(".", "'..'")]
    [InlineData(" V1", "whitespace")]
    [InlineData("V1 ", "whitespace")]
    [InlineData("V\n1", "control")]
    [InlineData("V\u00001", "control")]
    [InlineData("a  b", "consecutive")]
    [InlineData("a#b", "outside")]
    [InlineData("a?b", "outside")]
    [InlineData("a*b", "outside")]
    [InlineData("\uFF36\uFF10\uFF10\uFF11", "compatibility")] // fullwidth V001
    [InlineData("\u212A1", "compatibility")] // Kelvin sign K
    [InlineData("\uFB01le", "compatibility")] // ﬁ ligature
    [InlineData("\U0001D407001", "compatibility")] // mathematical bold H
    [InlineData("\u0412001", "mixes")] // Cyrillic В with ASCII digits looks like V001
    [InlineData("V\u0430lue", "mixes")] // Latin with a Cyrillic а
    [InlineData("\u039Fmega-V1", "mixes")] // Greek Ο beside Latin V
    [InlineData("V\u0661", "ASCII digit")] // Arabic-Indic digit one
    [InlineData("V001\u3164", "Hangul filler")] // renders as V001
    [InlineData("\u115FV001", "Hangul filler")]
    [InlineData("V\u1160001", "Hangul filler")]
    [InlineData("V001\uFFA0", "Hangul filler")]
    [InlineData("e\u0301t\u00E9", "outside")] // a combining mark (decomposed é)
    public void ValidateId_BadValue_ThrowsWithValueAndReason(string value, string reasonPart)
    {
        var ex = Assert.Throws<InvalidIdentifierException>(() => Identifiers.ValidateId(value));
        Assert.Equal(value, ex.Value);
        Assert.Equal(IdentifierKind.Id, ex.Kind);
        Assert.Contains(reasonPart, ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateIndexKey_TooLong_Throws()
    {
        var ok = new string('k', Identifiers.MaxLength);
        Assert.Equal(ok, Identifiers.ValidateIndexKey(ok));
        var ex = Assert.Throws<InvalidIdentifierException>(() => Identifiers.ValidateIndexKey(ok + "k"));
        Assert.Equal(IdentifierKind.IndexKey, ex.Kind);
    }

    [Fact]
    public void ValidateId_Null_Throws() =>
        Assert.Throws<InvalidIdentifierException>(() => Identifiers.ValidateId(null));

    [Theory]
    [InlineData("dev")]
    [InlineData("stg")]
    [InlineData("prod")]
    public void ValidateEnvironment_Known_Accepted(string env) => Assert.Equal(env, Identifiers.ValidateEnvironment(env));

    [Theory]
    [InlineData("qa")]
    [InlineData("PROD")]
    [InlineData("")]
    public void ValidateEnvironment_Unknown_Throws(string env) =>
        Assert.Equal(env, Assert.Throws<InvalidIdentifierException>(() => Identifiers.ValidateEnvironment(env)).Value);
}
