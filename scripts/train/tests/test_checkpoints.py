"""Checkpoint timeline (whytrain.checkpoints): the start checkpoint is the pretrained export, saving checkpoints
does not change the training trajectory, the last checkpoint is the final model (with an interpolating recipe:
the interpolation of the pretrained and the last epoch's weights), and the bundled timeline
(models/fashion-finetuned/checkpoints.json) was made from the bundled exports and ends at the bundled weights."""

import json
import os
import tempfile
import unittest

import numpy as np
import torch

from whytrain.checkpoints import (FINAL, args_from_card, dedupe_start, label_for, patch_manifest, recipe_from_card,
                                  moves_back, replay, sha256_of, shard_bytes, with_replay)
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

    def run_replay(self, epochs, save=True, recipe=None):
        saved = {}

        def on_checkpoint(epoch, m, interpolated):
            if save:
                label = label_for(epoch, interpolated)
                d = os.path.join(self.tmp.name, "out", label)
                export_layers_model(m, d, label)
                saved[FINAL if interpolated else epoch] = d

        model, log, _ = replay(self.pre, self.args, dict(recipe or RECIPE), tiny_data(), 10, [], epochs, on_checkpoint)
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

    def test_an_interpolating_recipe_ends_with_the_interpolated_weights(self):
        # head-only (conv blocks and fc1 frozen, BatchNorm frozen): the exported weights are linear in the state,
        # so the final checkpoint's weights must be (1 - a) * start + a * last epoch, float for float.
        recipe = dict(RECIPE, head="auto", freeze=4, bn_frozen=True, interpolate=True, alpha=0.25)
        model, _, saved = self.run_replay([1], recipe=recipe)
        self.assertEqual(sorted(k for k in saved if k != FINAL), [0, 1, 3])
        self.assertIn(FINAL, saved)
        w = {k: np.frombuffer(shard_bytes(d), np.float32) for k, d in saved.items()}
        self.assertGreater(np.abs(w[3] - w[0]).max(), 1e-4)  # the classifier did train
        np.testing.assert_allclose(w[FINAL], 0.75 * w[0] + 0.25 * w[3], atol=1e-6)
        self.assertFalse(np.allclose(w[FINAL], w[3], atol=1e-6))
        # the returned model is the interpolated one; the training trajectory is the non-interpolating one's
        plain, _, _ = self.run_replay([], save=False, recipe=dict(recipe, interpolate=False))
        with torch.no_grad():
            final = model.eval()(torch.from_numpy(self.x.transpose(0, 3, 1, 2).astype(np.float32))).numpy()
        np.testing.assert_allclose(reference_forward(saved[FINAL], self.x), final, atol=1e-4)
        export_layers_model(plain.eval(), os.path.join(self.tmp.name, "plain"), "plain")
        np.testing.assert_array_equal(np.frombuffer(shard_bytes(os.path.join(self.tmp.name, "plain")), np.float32), w[3])

    def test_a_replay_recipe_trains_on_the_clean_set_plus_the_seeded_pool_images(self):
        # cli's --finetune-replay: R x (clean labels) pool images drawn with default_rng([seed, 909]), sorted.
        clean, pool = tiny_data(20), Split(tiny_data(100).images[::-1].copy(), (np.arange(100) * 3 % 10).astype(np.int64))
        mixed = with_replay(clean, pool, 2.0, 0)
        self.assertEqual(len(mixed.labels), 60)
        pick = np.sort(np.random.default_rng([0, 909]).choice(100, size=40, replace=False))
        np.testing.assert_array_equal(mixed.images[20:], pool.images[pick])
        np.testing.assert_array_equal(mixed.labels[20:], pool.labels[pick])
        np.testing.assert_array_equal(mixed.images[:20], clean.images)
        np.testing.assert_array_equal(with_replay(clean, pool, 2.0, 0).labels, mixed.labels)  # deterministic
        # replay() refuses a replay recipe without the pool, and with it trains on the mixed set (other weights)
        recipe = dict(RECIPE, replay=2.0, class_weights="none")
        with self.assertRaises(ValueError):
            replay(self.pre, self.args, dict(recipe), tiny_data(), 10, [], [], lambda *a: None)
        a, log_a, _ = replay(self.pre, self.args, dict(recipe), tiny_data(), 10, [], [], lambda *a: None, pool)
        b, _, _ = replay(self.pre, self.args, dict(RECIPE, class_weights="none"), tiny_data(), 10, [], [], lambda *a: None)
        c, _, _ = replay(self.pre, self.args, dict(RECIPE, class_weights="none"), with_replay(tiny_data(), pool, 2.0, 0),
                         10, [], [], lambda *a: None)
        for (k, x), y in zip(a.state_dict().items(), c.state_dict().values()):  # = fine-tuning on the mixed set
            self.assertTrue(torch.equal(x, y), k)
        self.assertFalse(all(torch.equal(x, y) for x, y in zip(a.state_dict().values(), b.state_dict().values())))

    def test_alpha_one_adds_no_final_checkpoint(self):
        # α = 1 keeps the fine-tuned weights: the last epoch is the final model, not saved twice.
        recipe = dict(RECIPE, head="auto", freeze=4, bn_frozen=True, interpolate=True, alpha=1.0)
        _, _, saved = self.run_replay([1], recipe=recipe)
        self.assertEqual(sorted(saved), [0, 1, 3])

    def test_recipe_from_card_takes_the_recorded_alpha(self):
        card = {"training": {"phases": {"finetune": {"epochs": 8, "interpolation_alpha": 0.25}},
                             "finetuneVariant": {"id": "head-only", "settings": {"interpolate": True, "epochs": 8}}}}
        self.assertEqual(recipe_from_card(card)["alpha"], 0.25)
        card["training"]["finetuneVariant"]["settings"]["interpolate"] = False
        self.assertNotIn("alpha", recipe_from_card(card))

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

    def test_the_last_checkpoint_is_the_bundled_model_as_its_card_records_it(self):
        with open(os.path.join(self.mdir, "card.json")) as fh:
            card = json.load(fh)
        recipe = recipe_from_card(card)
        self.assertEqual(self.doc["recipe"]["id"], recipe["id"])
        self.assertEqual(self.doc["epochs"], recipe["ran_epochs"])
        cps = self.doc["checkpoints"]
        last = cps[-1]
        if moves_back(recipe):
            self.assertEqual(last["label"], FINAL)
            self.assertTrue(last["interpolated"])
            self.assertEqual(self.doc["interpolation"]["alpha"], recipe["alpha"])
            self.assertIn(f"{recipe['alpha']:g}", last["name"])
            for cp in cps[1:-1]:  # the fine-tuning epochs are labelled as what they are
                self.assertFalse(cp["interpolated"])
                self.assertIn("before interpolation", cp["name"])
        else:  # no interpolation, or α = 1: the last epoch is the bundled model, no 'final' copy of it
            self.assertEqual(last["label"], f"epoch-{recipe['ran_epochs']}")
            self.assertNotIn(FINAL, [cp["label"] for cp in cps])
        # the weights of the last checkpoint are the bundled model's (a replay of the same computation)
        a = np.frombuffer(shard_bytes(os.path.dirname(os.path.join(self.mdir, last["modelUrl"]))), np.float32)
        b = np.frombuffer(shard_bytes(self.mdir), np.float32)
        self.assertEqual(a.shape, b.shape)
        np.testing.assert_allclose(a, b, atol=1e-6)
        self.assertAlmostEqual(last["test"]["accuracy"], card["evaluation"]["accuracy"], places=4)


if __name__ == "__main__":
    unittest.main()
