// Trains an MLP on Fashion-MNIST with the binding, written by hand: the loop that a generated
// pipeline will write for the user.
// Usage: ./run.sh sample [--epochs N] [--batch-size N] [--lr X] [--data DIR] [--device cpu|cuda[:N]]
using System.Diagnostics;
using System.Globalization;
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

using var model = nn.Sequential(
    nn.Flatten(),
    nn.Linear(28 * 28, 256),
    nn.ReLU(),
    nn.Linear(256, 10));
model.to(device);
using var optimizer = optim.Adam(model.parameters(), lr: learningRate);

var count = trainLabels.size(0);
var batches = count / batchSize;
var clock = Stopwatch.StartNew();
for (var epoch = 1; epoch <= epochs; epoch++)
{
    model.train();
    using var order = randperm(count, device);
    using var runningLoss = zeros([1], device: device);
    for (var b = 0; b < batches; b++)
    {
        using var scope = NewDisposeScope();
        var index = order.narrow(0, (long)b * batchSize, batchSize);
        var logits = model.call(trainImages.index_select(0, index));
        var loss = nn.functional.cross_entropy(logits, trainLabels.index_select(0, index));
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
        using (no_grad())
            runningLoss.add_(loss.detach());
        if ((b + 1) % 100 == 0)
        {
            // One host read per 100 batches, not one per batch.
            Console.WriteLine($"epoch {epoch} batch {b + 1,4}/{batches}  loss {runningLoss.item<float>() / 100:F4}  ({(b + 1) / clock.Elapsed.TotalSeconds:F0} it/s)");
            runningLoss.zero_();
        }
    }
}

model.eval();
long correct = 0;
using (no_grad())
{
    for (long start = 0; start < testLabels.size(0); start += 1000)
    {
        using var scope = NewDisposeScope();
        var length = Math.Min(1000, testLabels.size(0) - start);
        var predicted = model.call(testImages.narrow(0, start, length)).argmax(1);
        correct += predicted.eq(testLabels.narrow(0, start, length)).sum().item<long>();
    }
}
var accuracy = (double)correct / testLabels.size(0);
Console.WriteLine($"test accuracy {accuracy:F4} after {epochs} epoch(s) in {clock.Elapsed.TotalSeconds:F1} s");
return 0;

static Tensor MoveTo(Tensor tensor, Device device)
{
    if (tensor.device == device)
        return tensor;
    var moved = tensor.to(device);
    tensor.Dispose();
    return moved;
}
