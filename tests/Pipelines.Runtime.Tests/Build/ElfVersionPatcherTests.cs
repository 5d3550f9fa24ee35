using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Pipelines.Build;

namespace Pipelines.Runtime.Tests.Build;

// Works on copies of TorchSharp's libLibTorchSharp.so from the NuGet cache, and reads the results with its own ELF
// walk rather than the patcher's, so a wrong offset in either shows up as a failure. Linux only (ln, stat).
public sealed class ElfVersionPatcherTests : IDisposable
{
    // The TorchSharp that Directory.Packages.props pins: its shim is the one that needs GCC 13's libstdc++.
    const string TorchSharpVersion = "0.107.0";
    const int VerFlagWeak = 0x2;

    readonly string directory = Directory.CreateTempSubdirectory("elf-patcher-tests-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    /// <summary>TorchSharp's unpatched shim in the NuGet cache (never written by a test).</summary>
    internal static string CachedLibrary()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var path = Path.Combine(packages, "torchsharp", TorchSharpVersion, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(path), $"{path} is missing; restore the solution first.");
        return path;
    }

    string CopyOfCachedLibrary(string name = "libLibTorchSharp.so")
    {
        var path = Path.Combine(directory, name);
        File.Copy(CachedLibrary(), path);
        return path;
    }

    [Fact]
    public void Marks_only_the_named_reference_weak_and_changes_no_other_byte()
    {
        var path = CopyOfCachedLibrary();
        var original = File.ReadAllBytes(path);
        var lastWrite = File.GetLastWriteTimeUtc(path);
        var references = VersionReferences(original);
        var target = references.Single(reference => reference.Name == ElfVersionPatcher.DefaultVersion);
        Assert.Equal(0, Flags(original, target.FlagsOffset) & VerFlagWeak);
        Assert.True(references.Count > 1, "the shim needs more than one version; the others must stay as they are");

        Assert.Equal(ElfPatchOutcome.Patched, ElfVersionPatcher.MarkWeak(path, [ElfVersionPatcher.DefaultVersion]));

        var patched = File.ReadAllBytes(path);
        Assert.Equal(original.Length, patched.Length);
        var changed = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToList();
        Assert.Equal(target.FlagsOffset, Assert.Single(changed));
        Assert.Equal(Flags(original, target.FlagsOffset) | VerFlagWeak, Flags(patched, target.FlagsOffset));
        foreach (var other in references.Where(reference => reference != target))
            Assert.Equal(Flags(original, other.FlagsOffset), Flags(patched, other.FlagsOffset));
        Assert.Equal(lastWrite, File.GetLastWriteTimeUtc(path));
    }

    [Fact]
    public void A_second_run_reports_already_weak_and_does_not_rewrite_the_file()
    {
        var path = CopyOfCachedLibrary();
        Assert.Equal(ElfPatchOutcome.Patched, ElfVersionPatcher.MarkWeak(path, [ElfVersionPatcher.DefaultVersion]));
        var inode = Inode(path);
        var bytes = File.ReadAllBytes(path);

        Assert.Equal(ElfPatchOutcome.AlreadyWeak, ElfVersionPatcher.MarkWeak(path, [ElfVersionPatcher.DefaultVersion]));

        Assert.Equal(inode, Inode(path));
        Assert.Equal(bytes, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_version_the_file_does_not_need_leaves_it_untouched()
    {
        var path = CopyOfCachedLibrary();
        var inode = Inode(path);

        Assert.Equal(ElfPatchOutcome.NoSuchReference, ElfVersionPatcher.MarkWeak(path, ["GLIBCXX_99.0"]));

        Assert.Equal(inode, Inode(path));
        Assert.Equal(File.ReadAllBytes(CachedLibrary()), File.ReadAllBytes(path));
    }

    [Fact]
    public void Patching_a_hard_link_breaks_it_and_leaves_the_other_name_untouched()
    {
        var cache = CopyOfCachedLibrary("cache.so");
        var output = Path.Combine(directory, "libLibTorchSharp.so");
        Run("ln", cache, output);
        var original = File.ReadAllBytes(cache);

        Assert.Equal(ElfPatchOutcome.Patched, ElfVersionPatcher.MarkWeak(output, [ElfVersionPatcher.DefaultVersion]));

        Assert.NotEqual(Inode(cache), Inode(output));
        Assert.Equal(original, File.ReadAllBytes(cache));
        var target = VersionReferences(original).Single(reference => reference.Name == ElfVersionPatcher.DefaultVersion);
        Assert.Equal(VerFlagWeak, Flags(File.ReadAllBytes(output), target.FlagsOffset) & VerFlagWeak);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(64)]
    [InlineData(-1)]
    public void A_truncated_file_is_refused_naming_it_and_nothing_is_written(int length)
    {
        var whole = File.ReadAllBytes(CachedLibrary());
        var bytes = whole[..(length >= 0 ? length : whole.Length + length)];
        var path = Path.Combine(directory, "truncated.so");
        File.WriteAllBytes(path, bytes);

        AssertRefused(path, bytes);
    }

    [Fact]
    public void A_version_reference_pointing_outside_its_section_is_refused_and_nothing_is_written()
    {
        var bytes = File.ReadAllBytes(CachedLibrary());
        var section = VersionNeedSection(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(section.Offset + 8), 0x7fff_0000);
        var path = Path.Combine(directory, "garbage.so");
        File.WriteAllBytes(path, bytes);

        AssertRefused(path, bytes);
    }

    [Fact]
    public void A_file_that_is_not_ELF_is_refused_naming_it_and_nothing_is_written()
    {
        var bytes = Encoding.ASCII.GetBytes("version https://git-lfs.github.com/spec/v1\n");
        var path = Path.Combine(directory, "pointer.so");
        File.WriteAllBytes(path, bytes);

        AssertRefused(path, bytes);
    }

    [Fact]
    public void A_32_bit_ELF_file_is_reported_and_left_untouched()
    {
        var bytes = new byte[52];
        "\u007fELF\u0001\u0001\u0001"u8.CopyTo(bytes);
        var path = Path.Combine(directory, "elf32.so");
        File.WriteAllBytes(path, bytes);

        Assert.Equal(ElfPatchOutcome.NotElf64, ElfVersionPatcher.MarkWeak(path, [ElfVersionPatcher.DefaultVersion]));
        Assert.Equal(bytes, File.ReadAllBytes(path));
    }

    [Fact]
    public void Version_definitions_are_read_from_libstdcxx_and_not_confused_with_references()
    {
        var libstdcxx = ElfVersionPatcher.FindSystemLibStdCxx();
        Assert.NotNull(libstdcxx);
        Assert.True(ElfVersionPatcher.Defines(libstdcxx, "GLIBCXX_3.4"), $"{libstdcxx} must define the base GLIBCXX_3.4");
        Assert.True(ElfVersionPatcher.Defines(libstdcxx, "CXXABI_1.3"), $"{libstdcxx} must define CXXABI_1.3");
        Assert.False(ElfVersionPatcher.Defines(libstdcxx, "GLIBCXX_99.0"));
        Assert.False(ElfVersionPatcher.Defines(CachedLibrary(), ElfVersionPatcher.DefaultVersion));
    }

    [Fact]
    public void The_copy_in_this_test_output_is_weak_exactly_when_the_system_libstdcxx_lacks_the_version()
    {
        var output = new[]
            {
                Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"),
                Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so"),
            }
            .Where(File.Exists)
            .ToList();
        Assert.NotEmpty(output);
        var expectWeak = OperatingSystem.IsLinux() && !ElfVersionPatcher.SystemLibStdCxxProvides(ElfVersionPatcher.DefaultVersion);
        foreach (var path in output)
        {
            var bytes = File.ReadAllBytes(path);
            var target = VersionReferences(bytes).Single(reference => reference.Name == ElfVersionPatcher.DefaultVersion);
            Assert.True(expectWeak == ((Flags(bytes, target.FlagsOffset) & VerFlagWeak) != 0),
                $"{path}: the {ElfVersionPatcher.DefaultVersion} reference should {(expectWeak ? "" : "not ")}be weak on this system.");
        }
    }

    static void AssertRefused(string path, byte[] bytes)
    {
        var lastWrite = File.GetLastWriteTimeUtc(path);

        var error = Assert.Throws<InvalidDataException>(() => ElfVersionPatcher.MarkWeak(path, [ElfVersionPatcher.DefaultVersion]));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(path));
        Assert.Equal(lastWrite, File.GetLastWriteTimeUtc(path));
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    static int Flags(byte[] elf, int offset) => BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(offset));

    /// <summary>Section header <paramref name="index"/>: its type, offset, size, linked section and extra information.</summary>
    static (uint Type, int Offset, int Size, int Link, int Info) Section(byte[] elf, int index)
    {
        var table = (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x28));
        var header = elf.AsSpan(table + index * BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3a)));
        return (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]),
            (int)BinaryPrimitives.ReadUInt64LittleEndian(header[24..]), (int)BinaryPrimitives.ReadUInt64LittleEndian(header[32..]),
            (int)BinaryPrimitives.ReadUInt32LittleEndian(header[40..]), (int)BinaryPrimitives.ReadUInt32LittleEndian(header[44..]));
    }

    /// <summary>The <c>.gnu.version_r</c> (SHT_GNU_verneed) section.</summary>
    static (uint Type, int Offset, int Size, int Link, int Info) VersionNeedSection(byte[] elf) =>
        Enumerable.Range(0, BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3c)))
            .Select(index => Section(elf, index))
            .Single(section => section.Type == 0x6ffffffe);

    /// <summary>Each <c>Elf64_Vernaux</c>'s name and the file offset of its <c>vna_flags</c>.</summary>
    static List<(string Name, int FlagsOffset)> VersionReferences(byte[] elf)
    {
        var section = VersionNeedSection(elf);
        var strings = Section(elf, section.Link).Offset;
        var references = new List<(string, int)>();
        var need = section.Offset;
        for (var i = 0; i < section.Info; i++)
        {
            var auxiliary = need + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(need + 8));
            for (var j = 0; j < BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(need + 2)); j++)
            {
                var name = strings + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(auxiliary + 8));
                references.Add((Encoding.ASCII.GetString(elf, name, Array.IndexOf(elf, (byte)0, name) - name), auxiliary + 4));
                auxiliary += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(auxiliary + 12));
            }
            need += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(need + 12));
        }
        return references;
    }

    static string Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}");
        return output.Trim();
    }

    static long Inode(string path) => long.Parse(Run("stat", "-c", "%i", path), CultureInfo.InvariantCulture);
}
