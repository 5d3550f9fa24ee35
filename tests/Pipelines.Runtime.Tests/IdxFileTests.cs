using System.IO.Compression;

namespace Pipelines.Runtime.Tests;

public sealed class IdxFileTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("idx-tests-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    static byte[] Idx(byte[] header, params int[] dims)
    {
        var bytes = new List<byte>(header);
        foreach (var d in dims)
            bytes.AddRange([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        return bytes.ToArray();
    }

    string Write(string name, byte[] content, bool gzip = false)
    {
        var path = Path.Combine(directory, name);
        if (gzip)
        {
            using var file = File.Create(path);
            using var z = new GZipStream(file, CompressionLevel.Fastest);
            z.Write(content);
        }
        else
        {
            File.WriteAllBytes(path, content);
        }
        return path;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_shape_and_values_raw_and_gzip(bool gzip)
    {
        var content = Idx([0, 0, 8, 2], 2, 3).Concat(new byte[] { 1, 2, 3, 4, 5, 255 }).ToArray();
        using var t = IdxFile.Read(Write("ok.idx", content, gzip));
        Assert.Equal(new long[] { 2, 3 }, t.shape);
        Assert.Equal(ScalarType.Byte, t.dtype);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 255 }, t.data<byte>().ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Truncated_data_is_an_error_naming_the_file(bool gzip)
    {
        var content = Idx([0, 0, 8, 1], 10).Concat(new byte[] { 1, 2, 3 }).ToArray();
        var path = Write("short.idx", content, gzip);
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Extra_data_is_an_error()
    {
        var path = Write("long.idx", Idx([0, 0, 8, 1], 2).Concat(new byte[] { 1, 2, 3 }).ToArray());
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains("more data", e.Message);
    }

    [Fact]
    public void Bad_magic_and_element_type_are_errors()
    {
        var notIdx = Write("text.idx", "hello world"u8.ToArray());
        Assert.Contains("not an IDX file", Assert.Throws<InvalidDataException>(() => IdxFile.Read(notIdx)).Message);
        var floats = Write("float.idx", Idx([0, 0, 0x0d, 1], 1).Concat(new byte[4]).ToArray());
        Assert.Contains("0x0d", Assert.Throws<InvalidDataException>(() => IdxFile.Read(floats)).Message);
        var zeroDims = Write("zero.idx", [0, 0, 8, 0]);
        Assert.Contains("0 dimensions", Assert.Throws<InvalidDataException>(() => IdxFile.Read(zeroDims)).Message);
        var negative = Write("negative.idx", Idx([0, 0, 8, 1], -5));
        Assert.Contains("size -5", Assert.Throws<InvalidDataException>(() => IdxFile.Read(negative)).Message);
    }

    [Fact]
    public void Corrupted_gzip_is_an_error_naming_the_file()
    {
        var content = Idx([0, 0, 8, 1], 4096).Concat(Enumerable.Range(0, 4096).Select(i => (byte)(i * 7))).ToArray();
        var path = Write("corrupt.idx.gz", content, gzip: true);
        var bytes = File.ReadAllBytes(path);
        for (var i = 20; i < bytes.Length - 10; i += 3)
            bytes[i] ^= 0x5a;
        File.WriteAllBytes(path, bytes);
        var e = Assert.ThrowsAny<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Missing_fashion_mnist_directory_says_what_to_install()
    {
        var e = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(directory, train: true));
        Assert.Contains("dataset-fashion-mnist", e.Message);
    }

    /// <summary>Writes a test split into its own directory: <paramref name="images"/> 28x28 images and the given labels.</summary>
    (string Directory, string Images, string Labels) Split(string name, int images, byte[] labels, bool swap = false)
    {
        var split = Path.Combine(directory, name);
        Directory.CreateDirectory(split);
        var imageBytes = Idx([0, 0, 8, 3], images, 28, 28).Concat(new byte[images * 28 * 28]).ToArray();
        var labelBytes = Idx([0, 0, 8, 1], labels.Length).Concat(labels).ToArray();
        var imagesPath = Path.Combine(split, "t10k-images-idx3-ubyte");
        var labelsPath = Path.Combine(split, "t10k-labels-idx1-ubyte");
        File.WriteAllBytes(imagesPath, swap ? labelBytes : imageBytes);
        File.WriteAllBytes(labelsPath, swap ? imageBytes : labelBytes);
        return (split, imagesPath, labelsPath);
    }

    [Fact]
    public void A_well_formed_small_split_loads()
    {
        var (split, _, _) = Split("ok", 3, [0, 9, 4]);
        using var scope = torch.NewDisposeScope();
        var (images, labels) = FashionMnist.Load(split, train: false);
        Assert.Equal(new long[] { 3, 1, 28, 28 }, images.shape);
        Assert.Equal(new long[] { 0, 9, 4 }, labels.data<long>().ToArray());
    }

    [Fact]
    public void An_image_and_label_count_mismatch_names_both_files()
    {
        var (split, images, labels) = Split("mismatch", 3, [0, 1]);
        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(split, train: false));
        Assert.StartsWith(labels, e.Message);
        Assert.Contains($"2 labels for 3 images in {images}", e.Message);
    }

    [Fact]
    public void A_label_that_is_not_a_class_names_the_labels_file()
    {
        var (split, _, labels) = Split("mislabelled", 3, [0, 10, 2]);
        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(split, train: false));
        Assert.StartsWith(labels, e.Message);
        Assert.Contains("label 10 is out of range (0 to 9)", e.Message);
    }

    [Fact]
    public void Swapped_image_and_label_files_are_named()
    {
        var (split, images, _) = Split("swapped", 3, [0, 1, 2], swap: true);
        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(split, train: false));
        Assert.StartsWith(images, e.Message);
        Assert.Contains("found [3] (a labels file under the images' name?)", e.Message);
    }

    [Fact]
    public void A_truncated_or_foreign_images_file_is_named_before_anything_is_allocated()
    {
        var (split, images, _) = Split("truncated", 3, [0, 1, 2]);
        File.WriteAllBytes(images, File.ReadAllBytes(images)[..1000]);
        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(split, train: false));
        Assert.StartsWith(images, e.Message);
        Assert.Contains("declares shape [3, 28, 28] (2352 data bytes), but the file holds 984 (truncated)", e.Message);

        // Wrong magic: a PNG under the images' name. And a header declaring 1 GiB in a 20-byte file is refused without allocating it.
        File.WriteAllBytes(images, [0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10]);
        Assert.Contains("not an IDX file", Assert.Throws<InvalidDataException>(() => FashionMnist.Load(split, train: false)).Message);
        File.WriteAllBytes(images, Idx([0, 0, 8, 3], 1 << 20, 1024, 1).Concat(new byte[4]).ToArray());
        Assert.Contains("(1073741824 data bytes), but the file holds 4 (truncated)", Assert.Throws<InvalidDataException>(() => FashionMnist.Load(split, train: false)).Message);
    }

    [Fact]
    public void Loads_the_real_fashion_mnist_test_split()
    {
        using var scope = torch.NewDisposeScope();
        var (images, labels) = FashionMnist.Load(FashionMnist.DebianDirectory, train: false);
        Assert.Equal(new long[] { 10000, 1, 28, 28 }, images.shape);
        Assert.Equal(new long[] { 10000 }, labels.shape);
        Assert.InRange(images.min().item<float>(), 0f, 0f);
        Assert.InRange(images.max().item<float>(), 1f, 1f);
        // The test split is balanced: 1,000 images of each class.
        for (var c = 0; c < 10; c++)
            Assert.Equal(1000, labels.eq(c).sum().item<long>());
    }
}
