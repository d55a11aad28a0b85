"""The CNN architectures we train. Blocks are Conv(3x3, same) -> BatchNorm -> ReLU [-> MaxPool 2x2].

BatchNorm is folded into the preceding convolution when exporting, so the exported graph is
Conv2D (linear) -> ReLU -> MaxPooling2D ..., with readable layer names (conv1, relu1, pool1, ...).

``features`` holds the conv blocks; ``head`` the layers after Flatten. For fine-tuning, the "head" is the
final classifier Linear (``logits``), which ``--head-reinit`` re-initialises and ``--head-lr-mult`` speeds up;
the "body" is everything else (conv blocks and the hidden dense layer).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional

import torch
from torch import nn


@dataclass
class ArchSpec:
    """Plain description of a conv net: conv blocks then dense layers.

    ``convs``: list of (out_channels, pool_after). ``dense``: hidden sizes before the classifier.
    """

    name: str
    convs: List[tuple]
    dense: List[int]
    num_classes: int = 10
    dropout: float = 0.25
    in_shape: tuple = (28, 28, 1)
    description: str = ""
    extra: dict = field(default_factory=dict)


ARCHS = {
    # ~131k params: conv32-pool, conv64-pool, conv64-pool(7->3) -> flatten 576 -> dense128 -> dense10.
    "fashion-cnn": ArchSpec(
        name="fashion-cnn",
        convs=[(32, True), (64, True), (64, True)],
        dense=[128],
        description="3 conv blocks (32-64-64, 3x3, BN folded, ReLU, 2x2 max-pool) -> Flatten -> Dense 128 -> Dense 10",
    ),
    # ~420k params: the classic MNIST CNN shape (conv32-pool, conv64-pool, flatten 3136, dense128, dense10).
    "mnist-cnn": ArchSpec(
        name="mnist-cnn",
        convs=[(32, True), (64, True)],
        dense=[128],
        dropout=0.3,
        description="2 conv blocks (32-64, 3x3, BN folded, ReLU, 2x2 max-pool) -> Flatten -> Dense 128 -> Dense 10",
    ),
}


class ConvNet(nn.Module):
    """Sequential CNN built from an :class:`ArchSpec`. Input NCHW float32, pixels p in [0,1]."""

    def __init__(self, spec: ArchSpec):
        super().__init__()
        self.spec = spec
        h, w, c = spec.in_shape
        blocks = []
        for i, (out_c, pool) in enumerate(spec.convs):
            layers = [
                nn.Conv2d(c, out_c, 3, padding=1, bias=False),
                nn.BatchNorm2d(out_c),
                nn.ReLU(inplace=False),
            ]
            if pool:
                layers.append(nn.MaxPool2d(2))
                h, w = h // 2, w // 2
            blocks.append(nn.Sequential(*layers))
            c = out_c
        self.features = nn.ModuleList(blocks)
        self.flat_shape = (c, h, w)
        head: List[nn.Module] = [nn.Flatten()]
        n_in = c * h * w
        for hidden in spec.dense:
            head += [nn.Linear(n_in, hidden), nn.ReLU(inplace=False), nn.Dropout(spec.dropout)]
            n_in = hidden
        head.append(nn.Linear(n_in, spec.num_classes))
        self.head = nn.Sequential(*head)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # x: [N,1,28,28] in [0,1] -> logits [N,classes]
        for block in self.features:
            x = block(x)
        return self.head(x)

    @property
    def classifier(self) -> nn.Linear:
        last = self.head[-1]
        assert isinstance(last, nn.Linear)
        return last

    def reinit_head(self, generator: Optional[torch.Generator] = None) -> None:
        """Re-initialise the classifier (the last Linear, "logits"), PyTorch default init from the global RNG.

        The hidden dense layer (fc1) is part of the body: it was trained on the large pool and is kept.
        """
        self.classifier.reset_parameters()

    def head_parameters(self):
        """The classifier's parameters (trained at ``lr * head_lr_mult`` when fine-tuning)."""
        return list(self.classifier.parameters())

    def body_parameters(self):
        """Everything but the classifier: the conv blocks and the hidden dense layer(s)."""
        head = {id(p) for p in self.head_parameters()}
        return [p for p in self.parameters() if id(p) not in head]


def load_pretrained(model: ConvNet, state: dict) -> bool:
    """Load pretrained weights into ``model``; returns True when the classifier was loaded too.

    When the classifier's shape differs (new classes), every other tensor is loaded and the classifier
    keeps its fresh initialisation (it must be re-initialised: the old class rows mean nothing for the new
    classes). Shapes of all non-classifier tensors must match (same architecture).
    """
    own = model.state_dict()
    cls_keys = {k for k, v in own.items() if any(v.data_ptr() == p.data_ptr() for p in model.classifier.parameters())}
    same_head = all(k in state and state[k].shape == own[k].shape for k in cls_keys)
    body = {k: v for k, v in state.items() if k not in cls_keys}
    for k, v in body.items():
        if k not in own or own[k].shape != v.shape:
            raise ValueError(f"pretrained tensor {k} does not fit this architecture")
    if same_head:
        model.load_state_dict(state)
    else:
        missing, unexpected = model.load_state_dict(body, strict=False)
        if set(missing) != cls_keys or unexpected:
            raise ValueError(f"unexpected state keys: missing {missing}, unexpected {unexpected}")
    return same_head


def param_count(model: nn.Module) -> int:
    """Trainable parameters of the *exported* model (BatchNorm folded: conv gains a bias, BN disappears)."""
    n = 0
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            n += m.weight.numel() + m.out_channels  # folded bias
        elif isinstance(m, nn.Linear):
            n += m.weight.numel() + m.bias.numel()
    return n


def build(arch: str, num_classes: int = 10, in_shape: tuple = (28, 28, 1)) -> ConvNet:
    """Build a fresh model (weights from the global torch RNG: seed first)."""
    spec = ARCHS[arch]
    spec = ArchSpec(**{**spec.__dict__, "num_classes": num_classes, "in_shape": tuple(in_shape)})
    return ConvNet(spec)
