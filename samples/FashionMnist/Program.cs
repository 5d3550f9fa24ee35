// Trains a CNN on Fashion-MNIST through a generated pipeline: FashionMnistClassifier holds the
// model, the optimizer, the steps and the metrics (the program gives Fit its callbacks); Pipelines.Generators writes its Fit, Validate,
// Test and command line. Usage: ./run.sh sample [options] (./run.sh sample --help lists them).
return FashionMnistSample.FashionMnistProgram.Run(args);
