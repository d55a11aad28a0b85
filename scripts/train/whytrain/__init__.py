"""why-dashboard training pipeline: PyTorch training, TensorFlow.js LayersModel export, model cards.

Entry point: ``bash scripts/train/run.sh [flags]`` (or ``python3 -m whytrain`` with ``scripts/train`` on
``PYTHONPATH``). See ``scripts/train/README.md``.
"""

__version__ = "1.0.0"
