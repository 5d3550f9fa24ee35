// Compiled two ways: by MSBuild's RoslynCodeTaskFactory as the source of the PatchLibTorchSharpTask inline task
// (Pipelines.targets; netstandard, no symbols defined, nullable off unless asked for here), and linked into the
// unit tests, which define PIPELINES_PATCHER_ONLY because they do not reference MSBuild's assemblies.
#nullable enable

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
#if !PIPELINES_PATCHER_ONLY
using Microsoft.Build.Framework;
#endif
using Section = (uint Type, long Offset, long Size, uint Link, uint Info);

namespace Pipelines.Build;

/// <summary>What <see cref="ElfVersionPatcher.MarkWeak"/> found in a file and did to it.</summary>
public enum ElfPatchOutcome
{
    /// <summary>At least one of the references was strong; all are weak now.</summary>
    Patched,

    /// <summary>Every matching reference was weak already; the file was not rewritten.</summary>
    AlreadyWeak,

    /// <summary>The file needs none of the versions; it was not rewritten.</summary>
    NoSuchReference,

    /// <summary>An ELF file but not 64-bit little-endian, which this patcher does not handle; it was not rewritten.</summary>
    NotElf64,
}

/// <summary>
/// Marks version references of an ELF64 little-endian shared object weak (<c>VER_FLG_WEAK</c> in its
/// <c>.gnu.version_r</c> entries), and tells whether the system's libstdc++ defines a version. glibc's loader
/// refuses an object that needs a version its provider lacks, unless that reference is weak.
/// </summary>
public static class ElfVersionPatcher
{
    /// <summary>
    /// The version (GCC 13's libstdc++) that TorchSharp 0.107.0's libLibTorchSharp.so requires for a single
    /// symbol, the <c>std::ios_base_library_init()</c> marker, which no code calls.
    /// </summary>
    public const string DefaultVersion = "GLIBCXX_3.4.32";

    // A bit of the 16-bit vna_flags, so in its first byte (little-endian).
    const byte VerFlagWeak = 0x2;
    const uint ShtGnuVerdef = 0x6ffffffd;
    const uint ShtGnuVerneed = 0x6ffffffe;
    const uint ShtStrtab = 3;

    // The loader uses the copy of libstdc++ the process already has (the .NET runtime links it), so that one is
    // asked first; the usual library directories are the fallback for a process without it.
    static readonly string[] LibraryDirectories = { "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/usr/lib" };

    /// <summary>
    /// Sets <c>VER_FLG_WEAK</c> on every version reference of <paramref name="path"/> named in
    /// <paramref name="versions"/>. The file is validated whole before anything is written; a change is written to a
    /// temporary file beside it that then replaces it by rename, so a hard or symbolic link to another copy (the
    /// NuGet cache) is broken rather than written through. Permissions and the last-write time are kept, so
    /// MSBuild's copies see the output as up to date and leave the patch in place.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not ELF, or is truncated or malformed; the message names it.</exception>
    public static ElfPatchOutcome MarkWeak(string path, IEnumerable<string> versions)
    {
        var wanted = new HashSet<string>(versions, StringComparer.Ordinal);
        var elf = ElfFile.Read(path);
        if (!elf.Is64BitLittleEndian)
            return ElfPatchOutcome.NotElf64;
        var flagOffsets = elf.VersionReferences()
            .Where(reference => wanted.Contains(reference.Name))
            .Select(reference => reference.FlagsOffset)
            .ToList();
        if (flagOffsets.Count == 0)
            return ElfPatchOutcome.NoSuchReference;
        var strong = flagOffsets.Where(offset => (elf.Bytes[offset] & VerFlagWeak) == 0).ToList();
        if (strong.Count == 0)
            return ElfPatchOutcome.AlreadyWeak;

        var patched = (byte[])elf.Bytes.Clone();
        foreach (var offset in strong)
            patched[offset] |= VerFlagWeak;
        var temporary = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            // A copy first, for the original's permissions (netstandard has no API to set them) and last-write time:
            // through a symbolic link, File.GetLastWriteTimeUtc would give the link's own time.
            File.Copy(path, temporary);
            var lastWrite = File.GetLastWriteTimeUtc(temporary);
            var attributes = File.GetAttributes(temporary);
            // Writable for the patch if the original is read-only.
            File.SetAttributes(temporary, attributes & ~FileAttributes.ReadOnly);
            File.WriteAllBytes(temporary, patched);
            File.SetAttributes(temporary, attributes);
            File.SetLastWriteTimeUtc(temporary, lastWrite);
            File.Replace(temporary, path, null);
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
        return ElfPatchOutcome.Patched;
    }

    /// <summary>
    /// Whether the system's libstdc++ (<see cref="FindSystemLibStdCxx"/>) defines <paramref name="version"/>;
    /// false where none is found (not Linux, or no GNU libstdc++).
    /// </summary>
    public static bool SystemLibStdCxxProvides(string version)
    {
        var library = FindSystemLibStdCxx();
        return library != null && Defines(library, version);
    }

    /// <summary>
    /// The libstdc++.so.6 this process has loaded (from <c>/proc/self/maps</c>), else the first in the usual
    /// library directories; null when there is none.
    /// </summary>
    public static string? FindSystemLibStdCxx()
    {
        const string name = "libstdc++.so.6";
        if (File.Exists("/proc/self/maps"))
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                var start = line.IndexOf('/');
                if (start >= 0 && line.IndexOf(name, start, StringComparison.Ordinal) >= 0 && File.Exists(line.Substring(start)))
                    return line.Substring(start);
            }
        }
        return LibraryDirectories.Select(directory => Path.Combine(directory, name)).FirstOrDefault(File.Exists);
    }

    /// <summary>Whether the ELF64 shared object <paramref name="path"/> defines <paramref name="version"/> (<c>.gnu.version_d</c>).</summary>
    /// <exception cref="InvalidDataException">The file is not ELF, or is truncated or malformed; the message names it.</exception>
    public static bool Defines(string path, string version)
    {
        var elf = ElfFile.Read(path);
        return elf.Is64BitLittleEndian && elf.VersionDefinitions().Contains(version, StringComparer.Ordinal);
    }

    /// <summary>A whole ELF file in memory; every read is bounds-checked, so a bad file is refused, never misread.</summary>
    sealed class ElfFile
    {
        readonly string path;
        readonly List<Section> sections;

        ElfFile(string path, byte[] bytes)
        {
            this.path = path;
            Bytes = bytes;
            Check(0, 16, "the ELF identification");
            sections = Is64BitLittleEndian ? ReadSections() : new List<Section>();
        }

        public byte[] Bytes { get; }

        public bool Is64BitLittleEndian => Bytes[4] == 2 && Bytes[5] == 1;

        public static ElfFile Read(string path)
        {
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length < 4 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
                throw new InvalidDataException($"{path}: not an ELF file (no \\x7FELF magic number).");
            return new ElfFile(path, bytes);
        }

        ushort U16(long offset)
        {
            Check(offset, 2, "a 16-bit field");
            return (ushort)(Bytes[offset] | Bytes[offset + 1] << 8);
        }

        uint U32(long offset) => (uint)(U16(offset) | U16(offset + 2) << 16);

        /// <summary>A 64-bit offset or size, which must lie within the file.</summary>
        long Position(long offset)
        {
            var value = U32(offset) | (ulong)U32(offset + 4) << 32;
            if (value > (ulong)Bytes.Length)
                throw Malformed($"offset or size {value} (at {offset}) is past the end of the file ({Bytes.Length} bytes), so it looks truncated");
            return (long)value;
        }

        void Check(long offset, long length, string what)
        {
            if (offset < 0 || length > Bytes.Length - offset)
                throw Malformed($"{what} at {offset} (length {length}) runs past the end of the file ({Bytes.Length} bytes), so it looks truncated");
        }

        InvalidDataException Malformed(string reason) => new($"{path}: malformed ELF file: {reason}.");

        /// <summary>Each version reference (<c>Elf64_Vernaux</c>) with the file offset of its <c>vna_flags</c>.</summary>
        public List<(string Name, long FlagsOffset)> VersionReferences()
        {
            var references = new List<(string, long)>();
            foreach (var section in sections.Where(section => section.Type == ShtGnuVerneed))
            {
                var entry = section.Offset;
                for (var i = 0u; i < section.Info; i++)
                {
                    CheckInside(section, entry, 16, "a version need (Elf64_Verneed)");
                    var auxiliary = entry + U32(entry + 8);
                    for (var j = 0; j < U16(entry + 2); j++)
                    {
                        CheckInside(section, auxiliary, 16, "a version reference (Elf64_Vernaux)");
                        references.Add((StringAt(section.Link, U32(auxiliary + 8)), auxiliary + 4));
                        auxiliary += U32(auxiliary + 12);
                    }
                    entry += U32(entry + 12);
                }
            }
            return references;
        }

        /// <summary>The name of each version definition (<c>Elf64_Verdef</c>, named by its first <c>Elf64_Verdaux</c>).</summary>
        public List<string> VersionDefinitions()
        {
            var names = new List<string>();
            foreach (var section in sections.Where(section => section.Type == ShtGnuVerdef))
            {
                var entry = section.Offset;
                for (var i = 0u; i < section.Info; i++)
                {
                    CheckInside(section, entry, 20, "a version definition (Elf64_Verdef)");
                    var auxiliary = entry + U32(entry + 12);
                    CheckInside(section, auxiliary, 8, "a version name (Elf64_Verdaux)");
                    names.Add(StringAt(section.Link, U32(auxiliary)));
                    entry += U32(entry + 16);
                }
            }
            return names;
        }

        void CheckInside(Section section, long offset, long length, string what)
        {
            if (offset < section.Offset || length > section.Offset + section.Size - offset)
                throw Malformed($"{what} at {offset} lies outside its section ({section.Offset} to {section.Offset + section.Size})");
        }

        /// <summary>The NUL-terminated string at <paramref name="index"/> of string table section <paramref name="table"/>.</summary>
        string StringAt(uint table, uint index)
        {
            if (table >= sections.Count)
                throw Malformed($"string table section {table} does not exist ({sections.Count} sections)");
            var strings = sections[(int)table];
            var end = index < strings.Size ? Array.IndexOf(Bytes, (byte)0, (int)(strings.Offset + index), (int)(strings.Size - index)) : -1;
            if (end < 0)
                throw Malformed($"string {index} of section {table} is not NUL-terminated inside it");
            return Encoding.UTF8.GetString(Bytes, (int)(strings.Offset + index), end - (int)(strings.Offset + index));
        }

        List<Section> ReadSections()
        {
            Check(0, 64, "the ELF header");
            var table = Position(0x28);
            var entrySize = U16(0x3a);
            var count = U16(0x3c);
            var sections = new List<Section>();
            if (table == 0)
                return sections;
            if (count == 0)
                throw Malformed("more than 65279 sections (extended section numbering) is not supported");
            if (entrySize < 64)
                throw Malformed($"section header size {entrySize} is below 64");
            Check(table, (long)count * entrySize, "the section header table");
            for (var i = 0; i < count; i++)
            {
                var header = table + (long)i * entrySize;
                var type = U32(header + 4);
                // Only the sections read later must lie in the file: a NOBITS one (.bss) may well be larger than it.
                var read = type is ShtGnuVerneed or ShtGnuVerdef or ShtStrtab;
                sections.Add((type, read ? Position(header + 24) : 0, read ? Position(header + 32) : 0, U32(header + 40), U32(header + 44)));
                if (read)
                    Check(sections[i].Offset, sections[i].Size, $"section {i}");
            }
            return sections;
        }
    }
}

#if !PIPELINES_PATCHER_ONLY
/// <summary>
/// MSBuild task: marks the given version references weak in each of <see cref="Files"/> (copies in a build or
/// publish output), logging the files it patches at normal importance and failing on files it cannot read.
/// </summary>
public sealed class PatchLibTorchSharpTask : Microsoft.Build.Utilities.Task
{
    /// <summary>The files to patch.</summary>
    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>The versions to mark weak.</summary>
    public string[] Versions { get; set; } = { ElfVersionPatcher.DefaultVersion };

    /// <summary>Patch nothing when the system's libstdc++ defines all of <see cref="Versions"/> (the <c>auto</c> setting).</summary>
    public bool OnlyWhenSystemLacks { get; set; }

    /// <inheritdoc/>
    public override bool Execute()
    {
        if (OnlyWhenSystemLacks && Versions.All(ElfVersionPatcher.SystemLibStdCxxProvides))
        {
            Log.LogMessage(MessageImportance.Low, "Pipelines: {0} defines {1}; libLibTorchSharp.so left as it is.",
                ElfVersionPatcher.FindSystemLibStdCxx(), string.Join(", ", Versions));
            return true;
        }
        foreach (var file in Files)
        {
            try
            {
                var outcome = ElfVersionPatcher.MarkWeak(file.ItemSpec, Versions);
                if (outcome == ElfPatchOutcome.Patched)
                    Log.LogMessage(MessageImportance.Normal, "Pipelines: marked {0} weak in {1}, so it loads with a libstdc++ older than GCC 13.",
                        string.Join(", ", Versions), file.ItemSpec);
                else
                    Log.LogMessage(MessageImportance.Low, "Pipelines: {0}: {1}.", file.ItemSpec, outcome);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                Log.LogError("Pipelines: cannot mark {0} weak: {1}", string.Join(", ", Versions), e.Message);
            }
        }
        return !Log.HasLoggedErrors;
    }
}
#endif
