"""Checkpoint timeline (whytrain.checkpoints): the start checkpoint is the pretrained export, saving checkpoints
does not change the training trajectory, the last checkpoint is the final model, and the bundled timeline
(models/fashion-finetuned/checkpoints.json) was made from the bundled exports."""

import json
import os
import tempfile
import unittest

import numpy as np
import torch

from whytrain.checkpoints import args_from_card, dedupe_start, label_for, patch_manifest, replay, sha256_of
from whytrain.data import REPO_ROOT, Split
from whytrain.export_tfjs import export_layers_model, reference_forward
from whytrain.models import build

MODELS = os.path.join(REPO_ROOT, "models")
RECIPE = {"id": "t", "head": "always", "freeze": 3, "lr": 1e-3, "head_mult": 10.0, "class_weights": "inverse",
          "oversample": "none", "hard_every": 0, "augment": "shift+flip", "epochs": 3, "ran_epochs": 3}


def pretrained_export(out_dir: str) -> None:
    torch.manual_seed(3)
    m = build("fashion-cnn", 10)
    for mod in m.modules():  # non-trivial BatchNorm statistics: the export folds them
        if isinstance(mod, torch.nn.BatchNorm2d):
            mod.running_mean.uniform_(-0.2, 0.2)
            mod.running_var.uniform_(0.5, 1.5)
    export_layers_model(m.eval(), out_dir, "pre")


def tiny_data(n: int = 60) -> Split:
    rng = np.random.default_rng(0)
    return Split(rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), np.arange(n, dtype=np.int64) % 10)


class ReplayTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.pre = os.path.join(self.tmp.name, "pre")
        pretrained_export(self.pre)
        self.args = args_from_card({"options": {"seed": 0, "batch_size": 16, "no_such_flag": 1}})
        self.x = np.random.default_rng(1).random((5, 28, 28, 1))

    def tearDown(self):
        self.tmp.cleanup()

    def run_replay(self, epochs, save=True):
        saved = {}

        def on_checkpoint(epoch, m):
            if save:
                d = os.path.join(self.tmp.name, "out", label_for(epoch))
                export_layers_model(m, d, label_for(epoch))
                saved[epoch] = d

        model, log = replay(self.pre, self.args, dict(RECIPE), tiny_data(), 10, [], epochs, on_checkpoint)
        return model, log, saved

    def test_start_checkpoint_equals_the_pretrained_export(self):
        _, _, saved = self.run_replay([1])
        self.assertEqual(sorted(saved), [0, 1, 3])  # start, the epoch asked for, the last one
        np.testing.assert_allclose(reference_forward(saved[0], self.x), reference_forward(self.pre, self.x), atol=1e-6)
        self.assertEqual(sha256_of(saved[0]), sha256_of(self.pre))  # the very same weights, byte for byte
        # fine-tuning moved it (the classifier was re-initialised, then trained)
        self.assertGreater(np.abs(reference_forward(saved[1], self.x) - reference_forward(self.pre, self.x)).max(), 1e-3)

    def test_checkpoints_do_not_change_the_trajectory_and_the_last_is_the_final_model(self):
        with_cp, log, saved = self.run_replay([1, 2])
        without, _, _ = self.run_replay([], save=False)
        for (k, a), b in zip(with_cp.state_dict().items(), without.state_dict().values()):
            self.assertTrue(torch.equal(a, b), k)
        self.assertEqual(len(log.epochs), 3)
        with torch.no_grad():
            final = with_cp.eval()(torch.from_numpy(self.x.transpose(0, 3, 1, 2).astype(np.float32))).numpy()
        np.testing.assert_allclose(reference_forward(saved[3], self.x), final, atol=1e-4)
        self.assertGreater(np.abs(reference_forward(saved[2], self.x) - final).max(), 1e-4)

    def test_args_from_card_takes_the_recorded_options_and_ignores_unknown_ones(self):
        self.assertEqual(self.args.batch_size, 16)
        self.assertFalse(hasattr(self.args, "no_such_flag"))

    def test_dedupe_points_start_at_the_export_and_manifest_patch_is_idempotent(self):
        mdir = os.path.join(self.tmp.name, "ft")
        export_layers_model(build("fashion-cnn", 10), mdir, "ft")
        _, _, saved = self.run_replay([])
        start_dir = os.path.join(mdir, "checkpoints", "start")
        os.makedirs(os.path.dirname(start_dir))
        os.rename(saved[0], start_dir)
        rows = [{"label": "start", "epoch": 0, "modelUrl": "checkpoints/start/model.json", "bytes": 1}]
        dedupe_start(rows, mdir, self.pre)
        self.assertEqual(rows[0]["modelUrl"], "../pre/model.json")
        self.assertFalse(os.path.exists(start_dir))
        with open(os.path.join(self.tmp.name, "manifest.json"), "w") as fh:
            json.dump({"models": [{"id": "ft"}, {"id": "other"}]}, fh)
        self.assertTrue(patch_manifest(self.tmp.name, "ft", "ft/checkpoints.json"))
        self.assertFalse(patch_manifest(self.tmp.name, "ft", "ft/checkpoints.json"))
        with open(os.path.join(self.tmp.name, "manifest.json")) as fh:
            self.assertEqual(json.load(fh)["models"], [{"id": "ft", "checkpointsUrl": "ft/checkpoints.json"}, {"id": "other"}])


@unittest.skipUnless(os.path.isfile(os.path.join(MODELS, "fashion-finetuned", "checkpoints.json")), "no bundled timeline")
class BundledTimelineTest(unittest.TestCase):
    def setUp(self):
        self.mdir = os.path.join(MODELS, "fashion-finetuned")
        with open(os.path.join(self.mdir, "checkpoints.json")) as fh:
            self.doc = json.load(fh)

    def test_made_from_the_bundled_exports(self):
        # Fails after a rebundle of fashion-pretrained / fashion-finetuned: re-run python3 -m whytrain.checkpoints.
        rerun = "the fashion models were rebundled: re-run PYTHONPATH=scripts/train python3 -m whytrain.checkpoints"
        self.assertEqual(self.doc["sources"]["pretrained"], sha256_of(os.path.join(MODELS, self.doc["startsFrom"])), rerun)
        self.assertEqual(self.doc["sources"]["bundled"], sha256_of(self.mdir), rerun)
        with open(os.path.join(MODELS, "manifest.json")) as fh:
            entry = next(m for m in json.load(fh)["models"] if m["id"] == self.doc["modelId"])
        self.assertEqual(entry.get("checkpointsUrl"), f"{self.doc['modelId']}/checkpoints.json", rerun)

    def test_start_is_the_pretrained_export_and_the_end_is_the_run_length(self):
        cps = self.doc["checkpoints"]
        self.assertEqual(cps[0]["epoch"], 0)
        self.assertEqual(cps[-1]["epoch"], self.doc["epochs"])
        x = np.random.default_rng(2).random((4, 28, 28, 1))
        start = os.path.dirname(os.path.join(self.mdir, cps[0]["modelUrl"]))
        np.testing.assert_allclose(reference_forward(start, x),
                                   reference_forward(os.path.join(MODELS, self.doc["startsFrom"]), x), atol=1e-6)
        for cp in cps:
            self.assertTrue(os.path.isfile(os.path.join(self.mdir, cp["modelUrl"])), cp["modelUrl"])


if __name__ == "__main__":
    unittest.main()
