// The tiny training step of bench/README.md in plain libtorch C++: Linear(16 -> 4), MSE, SGD,
// batch 32. Prints the median microseconds per iteration over `rounds` rounds of `iterations`.
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 30;
  const int iterations = argc > 2 ? std::atoi(argv[2]) : 2000;
  const int threads = argc > 3 ? std::atoi(argv[3]) : 1;
  torch::set_num_threads(threads);
  torch::manual_seed(0);

  torch::nn::Linear model(16, 4);
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.01));
  auto x = torch::randn({32, 16});
  auto y = torch::randn({32, 4});

  // Same semantics as the C# side: gradients are set to none, not zeroed.
  auto step = [&] {
    for (auto& p : model->parameters()) p.mutable_grad().reset();
    auto loss = torch::mse_loss(model->forward(x), y);
    loss.backward();
    optimizer.step();
  };

  for (int i = 0; i < iterations; ++i) step();
  std::vector<double> per_iteration;
  for (int r = 0; r < rounds; ++r) {
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < iterations; ++i) step();
    std::chrono::duration<double, std::micro> elapsed = std::chrono::steady_clock::now() - start;
    per_iteration.push_back(elapsed.count() / iterations);
  }
  std::sort(per_iteration.begin(), per_iteration.end());
  std::printf("%.3f\n", per_iteration[per_iteration.size() / 2]);
  return 0;
}
