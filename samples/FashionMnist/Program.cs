// Trains an MLP on Fashion-MNIST through a generated pipeline: FashionMnistClassifier holds the
// model, the optimizer, the steps and the logging; Pipelines.Generators writes its Fit and Test.
// Usage: ./run.sh sample [--epochs N] [--batch-size N] [--lr X] [--data DIR] [--device cpu|cuda[:N]]
using System.Globalization;
using FashionMnistSample;
using Pipelines;
using Pipelines.Data;
using Pipelines.Torch;
using static Pipelines.Torch.torch;

var epochs = 1;
var batchSize = 64;
var learningRate = 1e-3;
var dataDirectory = FashionMnist.DebianDirectory;
var device = CPU;
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--epochs": epochs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--batch-size": batchSize = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--lr": learningRate = double.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--data": dataDirectory = Next(); break;
        case "--device": device = Device.Parse(Next()); break;
        default:
            Console.Error.WriteLine($"Unknown option {args[i]}. Options: --epochs N --batch-size N --lr X --data DIR --device cpu|cuda[:N]");
            return 2;
    }
}

Console.WriteLine(describe_runtime());
manual_seed(0);

var (trainImages, trainLabels) = FashionMnist.Load(dataDirectory, train: true);
var (testImages, testLabels) = FashionMnist.Load(dataDirectory, train: false);
Console.WriteLine($"Fashion-MNIST: {trainLabels.size(0)} training and {testLabels.size(0)} test images from {dataDirectory}");
// The whole dataset fits on a GPU: move it once instead of copying every batch.
(trainImages, trainLabels) = (MoveTo(trainImages, device), MoveTo(trainLabels, device));
(testImages, testLabels) = (MoveTo(testImages, device), MoveTo(testLabels, device));

using var train = new TensorDataLoader(trainImages, trainLabels, batchSize, shuffle: true, dropLast: true, seed: 0);
using var test = new TensorDataLoader(testImages, testLabels, batchSize: 1000);
using var classifier = new FashionMnistClassifier(learningRate, device);

var result = classifier.Fit(train, new FitOptions { MaxEpochs = epochs, Seed = 0 });
var metrics = classifier.Test(test);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"test loss {metrics.TestLoss:F4}, test accuracy {metrics.Accuracy:F4} after {result.Epochs} epoch(s) ({result.OptimizerSteps} steps, lr {result.Hyperparameters.LearningRate}) in {result.Elapsed.TotalSeconds:F1} s"));
return 0;

static Tensor MoveTo(Tensor tensor, Device device)
{
    if (tensor.device == device)
        return tensor;
    var moved = tensor.to(device);
    tensor.Dispose();
    return moved;
}
