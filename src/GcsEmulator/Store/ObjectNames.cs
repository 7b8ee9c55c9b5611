using System.Text;
using EccoStudio.GcsEmulator.Errors;

namespace EccoStudio.GcsEmulator.Store;

/// <summary>GCS's rules for object and bucket names.</summary>
public static class ObjectNames
{
    public static void ValidateObjectName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw GcsException.BadRequest("Object name is required.", "required");
        }

        if (Encoding.UTF8.GetByteCount(name) > 1024)
        {
            throw GcsException.BadRequest("The object name is too long (the limit is 1024 bytes of UTF-8).");
        }

        if (name is "." or ".." || name.Contains('\r', StringComparison.Ordinal) || name.Contains('\n', StringComparison.Ordinal))
        {
            throw GcsException.BadRequest($"Invalid object name: '{name.ReplaceLineEndings(" ")}'.");
        }

        if (name.StartsWith(".well-known/acme-challenge/", StringComparison.Ordinal))
        {
            throw GcsException.BadRequest("Object names may not start with .well-known/acme-challenge/.");
        }

        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsSurrogate(name[i]) && !(i + 1 < name.Length && char.IsSurrogatePair(name[i], name[i + 1])))
            {
                throw GcsException.BadRequest("The object name is not valid UTF-8.");
            }

            if (char.IsHighSurrogate(name[i]))
            {
                i++;
            }
        }
    }

    public static void ValidateBucketName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw GcsException.BadRequest("Bucket name is required.", "required");
        }

        var ok = name.Length is >= 3 and <= 222
            && IsAlnum(name[0]) && IsAlnum(name[^1])
            && name.All(c => IsAlnum(c) || c is '-' || c is '_' || c is '.')
            && (name.Contains('.', StringComparison.Ordinal) || name.Length <= 63);
        if (!ok)
        {
            throw GcsException.BadRequest($"Invalid bucket name: '{name}'");
        }

        static bool IsAlnum(char c) => c is >= 'a' and <= 'z' or >= '0' and <= '9';
    }
}
