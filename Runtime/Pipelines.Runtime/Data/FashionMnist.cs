using Pipelines.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Data;

/// <summary>
/// Fashion-MNIST (and MNIST, which uses the same file names) from IDX files: 28x28 grayscale
/// images with labels 0-9. Debian's <c>dataset-fashion-mnist</c> installs them in <see cref="DebianDirectory"/>.
/// </summary>
public static class FashionMnist
{
    /// <summary>Where Debian's dataset-fashion-mnist package puts the files.</summary>
    public const string DebianDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The class names, by label.</summary>
    public static IReadOnlyList<string> Classes { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>
    /// Loads the training (60,000) or test (10,000) split: images as float32 [N, 1, 28, 28] scaled
    /// to [0, 1], labels as int64 [N]. Files may be gzip-compressed (<c>.gz</c>) or raw. Both files
    /// are read and checked whole before anything is returned (call it before training starts).
    /// </summary>
    /// <exception cref="FileNotFoundException">When a file is missing; the message says what to install.</exception>
    /// <exception cref="InvalidDataException">When a file is not IDX, truncated, of another shape, the counts differ or a label is not a class; the message names the file.</exception>
    public static (Tensor images, Tensor labels) Load(string directory, bool train)
    {
        var prefix = train ? "train" : "t10k";
        var imagesPath = Find(directory, $"{prefix}-images-idx3-ubyte");
        var labelsPath = Find(directory, $"{prefix}-labels-idx1-ubyte");
        using var scope = torch.NewDisposeScope();
        var rawImages = IdxFile.Read(imagesPath);
        var rawLabels = IdxFile.Read(labelsPath);
        var imageShape = rawImages.shape;
        var labelShape = rawLabels.shape;
        if (imageShape.Length != 3 || imageShape[1] != 28 || imageShape[2] != 28)
            throw new InvalidDataException($"{imagesPath}: expected images of shape [N, 28, 28], found [{string.Join(", ", imageShape)}]"
                + (imageShape.Length == 1 ? " (a labels file under the images' name?)." : "."));
        if (labelShape.Length != 1)
            throw new InvalidDataException($"{labelsPath}: expected labels of shape [N], found [{string.Join(", ", labelShape)}]"
                + (labelShape.Length == 3 ? " (an images file under the labels' name?)." : "."));
        if (labelShape[0] != imageShape[0])
            throw new InvalidDataException($"{labelsPath}: {labelShape[0]} labels for {imageShape[0]} images in {imagesPath} (files of different splits or datasets?).");
        var maxLabel = HostRead.ToInt64(rawLabels.max());
        if (maxLabel >= Classes.Count)
            throw new InvalidDataException($"{labelsPath}: label {maxLabel} is out of range (0 to {Classes.Count - 1}).");
        var images = (rawImages.to(ScalarType.Float32) / 255.0).unsqueeze(1);
        var labels = rawLabels.to(ScalarType.Int64);
        return (scope.MoveToOuter(images), scope.MoveToOuter(labels));
    }

    static string Find(string directory, string name)
    {
        foreach (var candidate in new[] { name + ".gz", name })
        {
            var path = Path.Combine(directory, candidate);
            if (File.Exists(path))
                return path;
        }
        throw new FileNotFoundException(
            $"{name}(.gz) not found in {directory}. On Debian: apt-get install dataset-fashion-mnist (installs into {DebianDirectory}).");
    }
}
