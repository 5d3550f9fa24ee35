"""The sample's CNN in PyTorch, for bench/pytorch_cnn.py and bench/gpu_steps.py (torch alone: the GPU machine's
Python may lack the others' imports)."""
from torch import nn


def create_model(dropout=0.1):
    """FashionMnistClassifier.CreateModel in samples/FashionMnist, layer for layer."""
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Dropout(dropout), nn.Linear(64 * 7 * 7, 128), nn.ReLU(),
        nn.Dropout(dropout), nn.Linear(128, 10))
